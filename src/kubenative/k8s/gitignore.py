"""Keep the kustomize secretGenerator's input out of git: ``secrets.env`` holds real values."""

from __future__ import annotations

from pathlib import Path

from kubenative.files import atomic_write, read_existing
from kubenative.k8s.manifests import SECRETS_FILE


def ignore_secrets(root: Path, directory: str) -> bool:
    """Add ``/<dir>/secrets.env`` to the project's .gitignore unless a line already names it;
    True when the file was changed. The .dockerignore excludes ``**/secrets.env`` always."""
    line = f"/{directory.strip('/')}/{SECRETS_FILE}"
    path = root / ".gitignore"
    current = read_existing(path) or ""
    names = {entry.strip() for entry in current.splitlines()}
    if names & {line, line.lstrip("/"), SECRETS_FILE, f"**/{SECRETS_FILE}"}:
        return False
    prefix = current if not current or current.endswith("\n") else current + "\n"
    comment = "# Secret values for kustomize's secretGenerator (kubenative k8s)\n"
    atomic_write(path, f"{prefix}{comment}{line}\n")
    return True
