"""What fills a folder that git does not hold: the command a warning names.

A project whose build reads a gitignored folder (NimblePublisher's ``from: "content/**/*.md"``
over a ``content/`` that ``make content`` clones) builds from a fresh checkout without it: the
site is empty, or the compile fails. kubenative cannot run that command for the user (it may
clone a private repository or need credentials), so it names it: a Makefile target named
after the folder or whose recipe names it, a Mix alias that names it, a package.json script,
or a shell script under ``bin/``, ``script/`` or ``scripts/``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from kubenative.project import shell

SCRIPT_DIRS = ("bin", "script", "scripts")


def filler(
    root: Path, folder: str, aliases: Iterable[tuple[str, dict[str, tuple[str, ...]]]]
) -> str | None:
    """The command that fills ``folder`` (relative to the root), described for a warning."""
    named = re.compile(rf"(?<![\w.-]){re.escape(folder.strip('/'))}(?![\w-])")
    base = folder.strip("/").rsplit("/", 1)[-1]
    targets = shell.make_targets(root)
    if base in targets:
        return f"`make {base}` (Makefile)"
    for target, recipe in targets.items():
        if any(named.search(line) for line in recipe):
            return f"`make {target}` (Makefile)"
    for app_folder, table in aliases:
        for name, entries in table.items():
            if any(named.search(entry) for entry in entries):
                where = "mix.exs" if app_folder == "." else f"{app_folder}/mix.exs"
                return f"`mix {name}` ({where} alias)"
    for package in sorted(root.glob("package.json")) + sorted(root.glob("assets/package.json")):
        for name, command in _scripts(package).items():
            if named.search(command):
                rel = package.relative_to(root).as_posix()
                return f"`npm run {name}` ({rel})"
    for script_dir in SCRIPT_DIRS:
        for path in sorted((root / script_dir).glob("*")) if (root / script_dir).is_dir() else []:
            rel = path.relative_to(root).as_posix()
            text = shell.read_script(root, rel)
            if text is not None and named.search(text):
                return f"`{rel}`"
    return None


def _scripts(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    table = data.get("scripts") if isinstance(data, dict) else None
    if not isinstance(table, dict):
        return {}
    return {k: v for k, v in table.items() if isinstance(k, str) and isinstance(v, str)}
