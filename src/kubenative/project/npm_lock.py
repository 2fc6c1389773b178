"""What kubenative reads from a JavaScript lock (package-lock.json, yarn.lock, pnpm-lock.yaml):
the locked packages and npm's lock format version."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class NpmLock:
    """What kubenative reads from a JavaScript lock: locked versions (the first seen per name,
    which is the top-level one in package-lock.json) and npm's lock format version."""

    packages: dict[str, str]
    lockfile_version: int | None = None

    @property
    def native(self) -> bool:
        """Whether installing compiles native modules (node-gyp is in the tree)."""
        return "node-gyp" in self.packages or "node-sass" in self.packages


def read_npm_lock(name: str, text: str) -> NpmLock:
    if name in ("package-lock.json", "npm-shrinkwrap.json"):
        return _package_lock(text)
    if name == "yarn.lock":
        return NpmLock(_yarn_lock(text))
    if name == "pnpm-lock.yaml":
        return NpmLock(_pnpm_lock(text))
    return NpmLock({})


def _package_lock(text: str) -> NpmLock:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return NpmLock({})
    if not isinstance(data, dict):
        return NpmLock({})
    found: dict[str, str] = {}
    # lockfileVersion 2/3: "packages" keyed by path; the shortest path of a name is top-level.
    packages = data.get("packages")
    if isinstance(packages, dict):
        for path in sorted(packages, key=lambda p: (p.count("node_modules/"), p)):
            entry = packages[path]
            name = path.rsplit("node_modules/", 1)[-1]
            if path and isinstance(entry, dict) and isinstance(entry.get("version"), str):
                found.setdefault(name, entry["version"])

    # lockfileVersion 1: nested "dependencies".
    def visit(deps: object) -> None:
        if not isinstance(deps, dict):
            return
        for name, entry in deps.items():
            if isinstance(entry, dict) and isinstance(entry.get("version"), str):
                found.setdefault(name, entry["version"])
        for entry in deps.values():
            if isinstance(entry, dict):
                visit(entry.get("dependencies"))

    visit(data.get("dependencies"))
    version = data.get("lockfileVersion")
    return NpmLock(found, version if isinstance(version, int) else None)


_YARN_ENTRY = re.compile(r'^"?(@?[^@\s"]+)@[^\n]*:\n\s+version:?\s+"?([^"\s]+)"?', re.M)
_PNPM_ENTRY = re.compile(r"^\s+'?/?(@?[^@\s/']+(?:/[^@\s/']+)?)[@/](\d[^():'\s]*)", re.M)


def _yarn_lock(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _YARN_ENTRY.finditer(text):
        found.setdefault(match.group(1), match.group(2))
    return found


def _pnpm_lock(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _PNPM_ENTRY.finditer(text):
        found.setdefault(match.group(1), match.group(2))
    return found
