"""How the project migrates a release, for the Kubernetes migration Job: its own script, the
command its Procfile releases with, or its release module. Read only, nothing is run.

- ``rel/overlays/bin/migrate`` (what ``mix phx.gen.release`` writes): Mix copies the overlays
  into the release, so the script is ``bin/migrate`` there and runs the project's own
  ``<App>.Release.migrate`` through ``eval``.
- A Procfile's ``release:`` (Heroku's release phase, also read by other platforms) that runs
  ``bin/<release> eval "..."``: that expression. ``mix ecto.migrate`` there needs Mix, which a
  release has not, so it does not count.
- A module with a segment named ``Release*`` (``MyApp.Release``, ``MyApp.ReleaseTasks``,
  ``MyApp.Release.Tasks``) that defines ``migrate/0``, in any namespace.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from pathlib import Path

from kubenative.project.elixir_ast import ElixirModule
from kubenative.project.reading import read_or_none

_SCRIPTS = ("migrate", "migrate.sh")
_EVAL = re.compile(r"\beval\s+(.+)$")


def overlay_script(root: Path, templates: str) -> str | None:
    """The name, in the release's ``bin/``, of the project's own migration script."""
    folder = root / templates.strip("/") / "overlays" / "bin"
    for name in _SCRIPTS:
        if (folder / name).is_file():
            return name
    return None


def procfile_eval(root: Path) -> tuple[str, str] | None:
    """(expression, Procfile:line) of a ``release:`` process that evals in the release."""
    source = read_or_none(root / "Procfile")
    if source is None:
        return None
    for number, line in enumerate(source.splitlines(), start=1):
        kind, _, command = line.partition(":")
        if kind.strip() != "release":
            continue
        match = _EVAL.search(command)
        if match is None:
            continue
        try:
            words = shlex.split(match.group(1))
        except ValueError:
            continue
        if words:
            return words[0], f"Procfile:{number}"
    return None


def release_module(modules: Sequence[ElixirModule]) -> str | None:
    """The module that migrates: one whose last segment starts with ``Release`` first (the
    shape Phoenix and Distillery document), then one with such a segment anywhere."""
    candidates = [m for m in modules if ("migrate", 0) in m.functions]
    for last_only in (True, False):
        for module in candidates:
            segments = module.name.split(".")
            look = segments[-1:] if last_only else segments
            if any(s.startswith("Release") for s in look):
                return module.name
    return None
