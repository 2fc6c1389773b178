"""What kubenative reads from a JavaScript lock (package-lock.json, yarn.lock, pnpm-lock.yaml):
the locked packages and npm's lock format version."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from kubenative.catalog import versions


@dataclass(frozen=True)
class NpmLock:
    """What kubenative reads from a JavaScript lock: locked versions (the first seen per name,
    which is the top-level one in package-lock.json) and npm's lock format version."""

    packages: dict[str, str]
    lockfile_version: int | None = None
    # Every version locked of each name (a tree may hold several: node-sass's node-gyp 3 beside
    # a newer one), in the lock's order.
    every: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def native(self) -> bool:
        """Whether installing compiles native modules (node-gyp is in the tree)."""
        return "node-gyp" in self.packages or "node-sass" in self.packages

    def oldest(self, name: str) -> str | None:
        """The oldest version of ``name`` the lock holds, or None."""
        found = self.every.get(name) or ((self.packages[name],) if name in self.packages else ())
        return min(found, key=versions.sort_key) if found else None


def read_npm_lock(name: str, text: str) -> NpmLock:
    if name in ("package-lock.json", "npm-shrinkwrap.json"):
        return _package_lock(text)
    if name == "yarn.lock":
        return _yarn_lock(text)
    if name == "pnpm-lock.yaml":
        return _pnpm_lock(text)
    return NpmLock({})


def _package_lock(text: str) -> NpmLock:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return NpmLock({})
    if not isinstance(data, dict):
        return NpmLock({})
    found: dict[str, str] = {}
    every: dict[str, list[str]] = {}
    # lockfileVersion 2/3: "packages" keyed by path; the shortest path of a name is top-level.
    packages = data.get("packages")
    if isinstance(packages, dict):
        for path in sorted(packages, key=lambda p: (p.count("node_modules/"), p)):
            entry = packages[path]
            name = path.rsplit("node_modules/", 1)[-1]
            if path and isinstance(entry, dict) and isinstance(entry.get("version"), str):
                found.setdefault(name, entry["version"])
                every.setdefault(name, []).append(entry["version"])

    # lockfileVersion 1: nested "dependencies".
    def visit(deps: object) -> None:
        if not isinstance(deps, dict):
            return
        for name, entry in deps.items():
            if isinstance(entry, dict) and isinstance(entry.get("version"), str):
                found.setdefault(name, entry["version"])
                every.setdefault(name, []).append(entry["version"])
        for entry in deps.values():
            if isinstance(entry, dict):
                visit(entry.get("dependencies"))

    visit(data.get("dependencies"))
    version = data.get("lockfileVersion")
    return NpmLock(found, version if isinstance(version, int) else None, _every(every))


_YARN_ENTRY = re.compile(r'^"?(@?[^@\s"]+)@[^\n]*:\n\s+version:?\s+"?([^"\s]+)"?', re.M)
_PNPM_ENTRY = re.compile(r"^\s+'?/?(@?[^@\s/']+(?:/[^@\s/']+)?)[@/](\d[^():'\s]*)", re.M)


def _yarn_lock(text: str) -> NpmLock:
    return _entries(_YARN_ENTRY.finditer(text))


def _pnpm_lock(text: str) -> NpmLock:
    return _entries(_PNPM_ENTRY.finditer(text))


def _entries(matches: Iterator[re.Match[str]]) -> NpmLock:
    """(name, version) matches → the first version of each name, and all of them."""
    found: dict[str, str] = {}
    every: dict[str, list[str]] = {}
    for match in matches:
        found.setdefault(match.group(1), match.group(2))
        every.setdefault(match.group(1), []).append(match.group(2))
    return NpmLock(found, every=_every(every))


def _every(every: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {name: tuple(dict.fromkeys(seen)) for name, seen in every.items()}


def entry_line(text: str, name: str, version: str) -> int:
    """The 1-based line of the lock entry of ``name`` at ``version`` (its key), else of the
    first entry of ``name``, else 1: package-lock's ``"node_modules/x": {`` or ``"x": {``,
    yarn's ``x@^1.0.0:``, pnpm's ``/x@1.0.0:`` or ``/x/1.0.0:``. The version is looked for on
    the key's line and the three after it."""
    key = re.compile(
        rf'^[ \t]*(?:"(?:[^"\n]*node_modules/)?{re.escape(name)}"\s*:\s*\{{'
        rf"|\"?{re.escape(name)}@|'?/{re.escape(name)}[@/])",
        re.M,
    )
    stated = re.compile(rf"(?:@|/|version\"?:?\s*\"?){re.escape(version)}(?![\w.])")
    first = None
    for match in key.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        first = first or line
        entry = "\n".join(text[match.start() :].split("\n", 4)[:4])
        if stated.search(entry):
            return line
    return first or 1
