"""The project's own Dockerfiles: one list for every reader (the versions they pin,
``constraints.from_dockerfiles``; the asset steps they run, ``deploy_files``).

A file is one of them when it sits at the project root or in a folder right under it
(``deploy/Dockerfile``, ``docker/Dockerfile.dev-bundle``), its name says Dockerfile or
Containerfile (``Dockerfile``, ``Dockerfile.prod``, ``alpine.Dockerfile``, ``Containerfile``)
and it is not:

- in build output, dependencies or the asset folder (``_build``, ``deps``, ``node_modules``,
  ``assets``, ``.git``, ``.elixir_ls``): a Dockerfile there belongs to a package (an npm
  package's own image), not to the project's build;
- a file about a Dockerfile: its documentation (``Dockerfile.md``) or BuildKit's per-Dockerfile
  ignore file (``Dockerfile.dockerignore``);
- kubenative's own output (:func:`kubenative.files.generated`): reading it back would make
  kubenative's previous choices evidence for its next ones;
- a dev container's (``.devcontainer/Dockerfile``): the developers' editor environment, not how
  the release is built, so its steps are no deploy pipeline (``deploy_files``). Nor is it
  version evidence (``constraints``): its FROM line is a template's default that the dev
  container's own settings override (BanchanArt/banchan's says so on its first line: "Update
  the VARIANT arg in docker-compose.yml", from Microsoft's Elixir dev-container template), so
  it is not reliably even what the developers run; and what it could say the project already
  says better. In the corpus, banchan's ``FROM elixir:${VARIANT}`` (1.14.5) repeats the Elixir
  of its release Dockerfile (hexpm/elixir 1.14.5, with OTP 26.0.1 and Debian bullseye, which
  the dev container leaves open) yet was named as the Elixir's source; supabase/realtime's is
  plain ``debian:trixie-...`` (tools from mise, no Elixir or OTP in the line), the Debian its
  release Dockerfile already names ("aiming for parity with the production image").
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kubenative import files
from kubenative.project.reading import SKIP_DIRS

# `.devcontainer`: the editor's environment, neither the build nor its evidence (see above).
SKIPPED_FOLDERS = SKIP_DIRS | {"assets", ".devcontainer"}
# Suffixes of files whose names mention a Dockerfile without being one: its documentation,
# BuildKit's ignore file for it, a script or config about it, an editor's or a merge's copy.
NOT_DOCKERFILES = (
    *(".dockerignore", ".md", ".markdown", ".rst", ".txt", ".sh", ".yml", ".yaml", ".json"),
    *(".toml", ".orig", ".rej", ".bak", ".swp", "~"),
)


def own_dockerfiles(root: Path, read: Callable[[Path], str]) -> list[tuple[Path, str]]:
    """The project's own Dockerfiles under ``root``, each with its text (read with ``read``),
    root first, then folder by folder, in name order."""
    found: list[tuple[Path, str]] = []
    for path in _candidates(root):
        text = read(path)
        if not files.generated(text):
            found.append((path, text))
    return found


def _candidates(root: Path) -> list[Path]:
    folders = [root, *sorted(p for p in root.iterdir() if p.is_dir())]
    found: list[Path] = []
    for folder in folders:
        if folder != root and folder.name in SKIPPED_FOLDERS:
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file() and is_dockerfile_name(path.name):
                found.append(path)
    return found


def is_dockerfile_name(name: str) -> bool:
    """``Dockerfile``, ``Dockerfile.prod``, ``alpine.Dockerfile``, ``Containerfile``; not
    ``Dockerfile.md`` or ``Dockerfile.dockerignore``."""
    lower = name.lower()
    named = "dockerfile" in lower or "containerfile" in lower
    return named and not lower.endswith(NOT_DOCKERFILES)
