"""`k8s` writes the manifests only and works with any Dockerfile that builds the release: what
the manifests assume of the image, checked on the project's own Dockerfile where a few lines
can tell (its last stage), and the secrets file kept out of that Dockerfile's context."""

from __future__ import annotations

from pathlib import Path

from kubenative.files import is_ours, read_existing
from kubenative.ignore import excluded
from kubenative.k8s.manifests import SECRETS_FILE
from kubenative.options import Options
from kubenative.plan import APP_DIR, Plan

ASSUMED = (
    "the image holds the release at {app} (bin/{release}), starts it with its own "
    "ENTRYPOINT/CMD, and runs as uid {uid}; `kubenative init` writes such a Dockerfile"
)


def image_warnings(root: Path, plan: Plan, options: Options) -> tuple[str, ...]:
    assumed = ASSUMED.format(app=APP_DIR, release=plan.release, uid=plan.user_id)
    dockerfile = options.dockerfile
    text = read_existing(root / dockerfile)
    warnings: list[str] = []
    if text is None:
        warnings.append(f"no {dockerfile}: the manifests assume {assumed}")
    elif not is_ours(text):
        last = _last_stage(text)
        if APP_DIR not in last:
            warnings.append(
                f"{dockerfile} is the project's own and its last stage never names {APP_DIR}: "
                f"the manifests assume {assumed} (the migration Job runs "
                f"{APP_DIR}/bin/{plan.release}); adjust the Dockerfile or the manifests"
            )
        user = _user(last)
        if user is not None and user.isdigit() and int(user) != plan.user_id:
            warnings.append(
                f"{dockerfile} runs the release as uid {user}, the pods as uid {plan.user_id} "
                f"(runAsUser): pass --user-id {user} to keep the image's"
            )
    ignore_file = root / f"{dockerfile}.dockerignore"
    if not ignore_file.is_file():
        ignore_file = root / ".dockerignore"
    patterns = (read_existing(ignore_file) or "").splitlines()
    secrets = f"{options.k8s_base}/{SECRETS_FILE}"
    if text is not None and not is_ours(text) and not excluded(secrets, patterns):
        warnings.append(
            f"{secrets} holds the Secret's values and {ignore_file.name} does not exclude it: "
            f"add `**/{SECRETS_FILE}` to {ignore_file.name}, or a `COPY . .` bakes them into "
            "the image"
        )
    return tuple(warnings)


def _last_stage(text: str) -> str:
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip().upper().startswith("FROM ")]
    return "\n".join(lines[starts[-1] :] if starts else lines)


def _user(stage: str) -> str | None:
    found = None
    for line in stage.splitlines():
        words = line.split()
        if len(words) >= 2 and words[0].upper() == "USER":
            found = words[1].split(":", 1)[0]
    return found
