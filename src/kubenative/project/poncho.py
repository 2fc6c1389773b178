"""Poncho layouts: sibling Mix projects joined by path dependencies, with no mix.exs on top.

``--app apps/web`` builds one of them. The Docker context stays at the poncho root, so the
path dependencies the app names (``path: "../core"``, and theirs, transitively) can be copied;
the app itself is inspected like any project. In the image the app sits at ``/app`` and each
path dependency where its relative path from the app leads (``../core`` → ``/core``), so
Mix resolves the same ``path:`` values it resolves on a laptop.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from kubenative.errors import UserError
from kubenative.project.config_files import normalize
from kubenative.project.copies import OUTSIDE_PATH_DEP
from kubenative.project.mix_exs import parse_mix_exs
from kubenative.project.model import Project

APP_DIR = "/app"


def siblings(root: Path) -> list[str]:
    """The folders under ``root`` (``*/`` or ``apps/*/``) that hold a mix.exs, sorted."""
    found = {p.parent for p in [*root.glob("*/mix.exs"), *root.glob("*/*/mix.exs")]}
    names = (p.relative_to(root).as_posix() for p in found)
    return sorted(n for n in names if not n.startswith(("deps/", "_build/")))


def is_poncho(root: Path, read: Callable[[Path], str]) -> bool:
    """Whether the folders under ``root`` are a poncho: some of them join others through
    ``path:`` dependencies (umbrella children without their root use ``in_umbrella:``)."""
    for folder in siblings(root):
        try:
            mix = parse_mix_exs(read(root / folder / "mix.exs"), f"{folder}/mix.exs")
        except UserError:
            continue
        if any(dep.path for dep in mix.deps):
            return True
    return False


def image_path(app: str, folder: str) -> str:
    """Where a poncho folder lands in the image when ``app`` is at /app."""
    relative = posixpath.relpath(folder, app)
    return posixpath.normpath(posixpath.join(APP_DIR, relative))


def inspect_app(
    root: Path,
    app: str,
    inspect: Callable[[str], Project],
    read: Callable[[Path], str],
    gitignores: Callable[[Path], tuple[tuple[str, tuple[str, ...]], ...]],
) -> Project:
    """The project at ``root/app``, with the poncho root as the Docker context."""
    app = app.strip("/")
    if app.startswith("/") or ".." in app.split("/") or not (root / app / "mix.exs").is_file():
        found = ", ".join(siblings(root)) or "none"
        raise UserError(
            f"--app {app}: no mix.exs in {root / app}; the apps of this folder are: {found}"
        )
    project = inspect(str(root / app))
    problems = project.problems
    try:
        deps = _path_deps(root, app, read)
    except UserError as err:  # shown by inspect; init refuses (kubenative.app)
        deps, problems = [], (*problems, str(err))
    return replace(
        project,
        # The path dependencies outside the app are the poncho's, in the context now.
        warnings=tuple(w for w in project.warnings if OUTSIDE_PATH_DEP not in w),
        problems=problems,
        root=str(root),
        context_app=app,
        path_deps=tuple((folder, image_path(app, folder)) for folder in deps),
        gitignores=gitignores(root),
    )


def _path_deps(root: Path, app: str, read: Callable[[Path], str]) -> list[str]:
    """Every folder reached through ``path:`` dependencies from ``app``, in the poncho."""
    found: list[str] = []
    pending = [app]
    while pending:
        folder = pending.pop()
        mix_path = root / folder / "mix.exs"
        mix = parse_mix_exs(read(mix_path), f"{folder}/mix.exs")
        for dep in mix.deps:
            if dep.path is None:
                continue
            target = normalize(folder, dep.path)
            outside = posixpath.normpath(posixpath.join(folder, dep.path)).startswith("..")
            if outside or not (root / target / "mix.exs").is_file():
                raise UserError(
                    f"{folder}/mix.exs: path dependency {dep.name} ({dep.path}) is not a Mix "
                    "project inside this folder, so it cannot be in the Docker context; run "
                    "kubenative from a folder that holds it"
                )
            if target == app or target.startswith(f"{app}/"):
                continue  # inside the app: copied with it
            if target not in found:
                found.append(target)
                pending.append(target)
    return sorted(found)
