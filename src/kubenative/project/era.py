"""What a project's locks say about the newest Elixir, OTP and Node its build can run with.

Two small tables of facts, each entry with its reason. A locked version that meets an entry's
requirement caps the tool below ``below``: the choice of versions then stays under the cap, and
`inspect` names the entry. Sources: the packages' own changelogs and support tables.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Literal

from kubenative.project import versions
from kubenative.project.mix_lock import LockEntry

Tool = Literal["elixir", "otp", "node"]


@dataclass(frozen=True)
class Cap:
    """``tool`` must stay below version ``below`` (``"24"``, ``"1.9"``), because of ``reason``."""

    tool: Tool
    below: str
    reason: str

    def allows(self, version: str) -> bool:
        return versions.sort_key(version) < versions.sort_key(self.below)


@dataclass(frozen=True)
class Rule:
    package: str
    requirement: str  # an Elixir version requirement on the locked version
    tool: Tool
    below: str
    why: str


# mix.lock: Hex packages whose old versions break on a newer OTP or Elixir.
MIX_RULES: tuple[Rule, ...] = (
    Rule(
        "plug_crypto",
        "< 1.2.1",
        "otp",
        "24",
        "uses :crypto.hmac, removed in OTP 24 (plug_crypto 1.2.1 added OTP 24 support)",
    ),
    Rule(
        "plug",
        "< 1.7.0",
        "otp",
        "24",
        "has its own Plug.Crypto, which uses :crypto.hmac, removed in OTP 24 "
        "(moved to plug_crypto in plug 1.7)",
    ),
    Rule(
        "distillery",
        "< 2.1.0",
        "elixir",
        "1.9",
        "names its task `mix release`, which Elixir 1.9 took for its own releases "
        "(Distillery 2.1 renamed it `mix distillery.release`)",
    ),
)

# package-lock.json / yarn.lock / pnpm-lock.yaml: packages whose old versions need an old Node.
# node-sass ships binaries only for the Node majors of its day (its README's support table);
# without one it compiles with node-gyp, which fails on newer Node headers.
NPM_RULES: tuple[Rule, ...] = (
    Rule(
        "webpack",
        "< 5.0.0",
        "node",
        "17",
        "hashes with MD4, which OpenSSL 3 (Node >= 17) disables: ERR_OSSL_EVP_UNSUPPORTED",
    ),
    *(
        Rule("node-sass", req, "node", str(top + 1), f"has binaries up to Node {top}")
        for req, top in (
            ("< 4.9.0", 8),
            (">= 4.9.0 and < 4.10.0", 10),
            (">= 4.10.0 and < 4.12.0", 11),
            (">= 4.12.0 and < 4.13.0", 12),
            (">= 4.13.0 and < 4.14.0", 13),
            (">= 4.14.0 and < 5.0.0", 14),
            (">= 5.0.0 and < 6.0.0", 15),
            (">= 6.0.0 and < 7.0.0", 16),
            (">= 7.0.0 and < 8.0.0", 17),
            (">= 8.0.0 and < 9.0.0", 19),
            (">= 9.0.0", 20),
        )
    ),
)

# lockfileVersion 1 is written by npm 6, the npm of Node <= 14. npm 7 and later install peer
# dependencies and refuse the conflicts npm 6 ignored (ERESOLVE), so `npm ci` may fail.
NPM6_LOCK = Rule(
    "package-lock.json",
    "lockfileVersion 1",
    "node",
    "15",
    "is written by npm 6 (Node <= 14); npm 7+ refuses its peer-dependency conflicts",
)


def _caps(rules: tuple[Rule, ...], locked: dict[str, str], where: str) -> list[Cap]:
    return [
        Cap(
            rule.tool,
            rule.below,
            f"{rule.package} {locked[rule.package]} in {where} {rule.why}",
        )
        for rule in rules
        if rule.package in locked and versions.satisfies(locked[rule.package], rule.requirement)
    ]


def mix_caps(lock: tuple[LockEntry, ...]) -> tuple[Cap, ...]:
    locked = {e.name: e.version for e in lock if e.scm == "hex" and e.version}
    return tuple(_caps(MIX_RULES, locked, "mix.lock"))


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


def npm_caps(lock: NpmLock, where: str) -> tuple[Cap, ...]:
    caps = _caps(NPM_RULES, lock.packages, where)
    if lock.lockfile_version == 1:
        caps.append(Cap("node", NPM6_LOCK.below, f"{where} (lockfileVersion 1) {NPM6_LOCK.why}"))
    return tuple(caps)
