"""What the project's files say about the Elixir, OTP, OS and Node it builds with, each with
its file:line. Facts only: ``kubenative.plan.versions`` solves them against the catalog.

Hard constraints are what breaks the build when ignored: mix.exs's ``elixir:`` requirements,
what the release tool needs (``releases:`` and ``config/releases.exs``: ``mix release``, Elixir
1.9+; ``config/runtime.exs``: 1.11+), the locked packages a prod build really fetches
(``catalog/packages.py``), package.json's ``engines.node``. Soft ones say what the project was
last built with: pins (``.tool-versions``, ``.nvmrc``; ``1.15`` means any 1.15.x), the FROM lines
of the project's own Dockerfiles and its CI's versions (a CI matrix: any of them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kubenative.catalog import images, packages, versions
from kubenative.project.dockerfiles import own_dockerfiles
from kubenative.project.mix_exs import MixProject
from kubenative.project.mix_lock import LockEntry

Tool = Literal["elixir", "otp", "node", "os"]
# Soft evidence in the order it is believed: a pin beats the project's Dockerfile, which beats
# its CI; a lock format only hints at the Node of its day.
Kind = Literal["requirement", "release", "lock", "engines", "pin", "dockerfile", "ci", "format"]
SOFT_ORDER: tuple[Kind, ...] = ("pin", "dockerfile", "ci", "format")

Read = Callable[[Path], str]


@dataclass(frozen=True)
class Constraint:
    """``tool``'s version must (``hard``) or should meet ``allows``, an Elixir requirement
    (``>= 1.9.0``, ``~> 1.15.0``, ``== 1.7.3``, ``== 1.14.5 or == 1.15.8``; for ``os``: a Debian
    codename or Alpine release), because of the line ``source`` (``mix.exs:7``) says ``why``."""

    tool: Tool
    allows: str
    hard: bool
    kind: Kind
    source: str
    why: str
    stated: str = ""  # the version as written: "1.15", "1.7.3-otp-21", "25.3.2.4"
    image: str | None = None  # a full image reference the line names (a FROM, a CI image)

    def meets(self, version: str) -> bool:
        if self.tool == "os":
            return version == self.allows or version.startswith(self.allows + "-")
        return versions.satisfies(version, self.allows)

    def describe(self) -> str:
        """``mix.lock:12: distillery 2.0.14 needs Elixir < 1.9.0 (...)``"""
        return f"{self.source}: {self.why}"

    def to_json(self) -> dict[str, object]:
        return {
            "tool": self.tool,
            "allows": self.allows,
            "hard": self.hard,
            "kind": self.kind,
            "source": self.source,
            "why": self.why,
        }


def line_of(text: str, pattern: str, default: int = 1) -> int:
    """The 1-based line of the first match of ``pattern`` (a regex) in ``text``."""
    match = re.search(pattern, text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else default


# ---- versions as written → requirements ----


def exact_or_line(tool: str, stated: str) -> str | None:
    """A version as a pin writes it, as a requirement: a full version is itself (``== 1.7.3``);
    a partial one is every release of its line (``1.15`` → ``~> 1.15.0``; OTP ``25.0`` → the
    25.0.x line, ``26`` → 26.x; Node ``20`` → 20.x, ``20.11`` → 20.11.x)."""
    parsed = versions.parse_version(stated.strip().lstrip("v"))
    if parsed is None:
        return None
    text = ".".join(str(p) for p in parsed)
    full = {"elixir": 3, "otp": 3, "node": 3}.get(tool, 3)
    if len(parsed) >= full:
        return f"== {text}"
    if len(parsed) == 1:
        return f">= {parsed[0]}.0.0 and < {parsed[0] + 1}.0.0"
    return f">= {text}.0 and < {parsed[0]}.{parsed[1] + 1}.0"


# ---- mix.exs, release tool, mix.lock ----


RELEASES_KEY = r"\breleases:"
PROJECT_DEF = r"\bdef project\b"
NODE_KEY = r'"node"\s*:'
LOCK_FORMAT_KEY = r'"lockfileVersion"'


def from_mix(
    members: list[tuple[str, MixProject]],
    texts: dict[str, str],
    release_tool: str | None,
    late_config: tuple[str, ...],
) -> list[Constraint]:
    """mix.exs ``elixir:`` requirements, and what ``mix release`` needs."""
    found: list[Constraint] = []
    for path, mix in members:
        rel = "mix.exs" if path == "." else f"{path}/mix.exs"
        if mix.elixir and versions.is_requirement(mix.elixir):
            line = line_of(texts.get(rel, ""), r"\belixir:\s")
            found.append(
                Constraint(
                    "elixir",
                    mix.elixir,
                    True,
                    "requirement",
                    f"{rel}:{line}",
                    f"`elixir: {mix.elixir!r}` in {rel}",
                    mix.elixir,
                )
            )
    if release_tool == "distillery":
        return found
    top = texts.get("mix.exs", "")
    if re.search(RELEASES_KEY, top):
        where = f"mix.exs:{line_of(top, RELEASES_KEY)}"
        why = "`releases:` in mix.exs builds with `mix release`, which came with Elixir 1.9"
    else:
        where = f"mix.exs:{line_of(top, PROJECT_DEF)}"
        why = (
            "no Distillery in the deps: the release is built with `mix release`, which came "
            "with Elixir 1.9 (add Distillery to build an older Elixir's release)"
        )
    found.append(Constraint("elixir", ">= 1.9.0", True, "release", where, why))
    for rel, since, what in (
        ("config/releases.exs", "1.9.0", "is read by `mix release`, which came with Elixir 1.9"),
        ("config/runtime.exs", "1.11.0", "is read at boot only by Elixir 1.11 and later"),
    ):
        if rel in late_config:
            found.append(
                Constraint("elixir", f">= {since}", True, "release", f"{rel}:1", f"{rel} {what}")
            )
    return found


def from_mix_lock(
    lock: tuple[LockEntry, ...], reachable: set[str], lock_text: str
) -> list[Constraint]:
    """The lock's packages that limit Elixir or OTP, among those a prod build fetches
    (``reachable``: the lock graph walked from the prod deps every mix.exs declares)."""
    found = []
    for entry in lock:
        if entry.scm != "hex" or not entry.version or entry.name not in reachable:
            continue
        for rule in packages.MIX_RULES:
            if rule.package == entry.name and versions.satisfies(entry.version, rule.requirement):
                line = line_of(lock_text, rf'^\s*"{re.escape(entry.name)}"\s*[:=]')
                tool = "Elixir" if rule.tool == "elixir" else "OTP"
                found.append(
                    Constraint(
                        rule.tool,
                        rule.allows,
                        True,
                        "lock",
                        f"mix.lock:{line}",
                        f"{entry.name} {entry.version} needs {tool} {rule.allows}: it {rule.why}",
                    )
                )
    return found


# ---- .tool-versions ----


def read_tool_versions(text: str) -> dict[str, tuple[str, int]]:
    """``.tool-versions`` lines → ``{"elixir": ("1.16.2-otp-26", line number)}``."""
    tools: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split("#", 1)[0].split()
        if len(words) >= 2:
            tools.setdefault(words[0], (words[1], number))
    return tools


def split_elixir(spec: str) -> tuple[str, str | None]:
    """``"1.16.2-otp-26"`` → ``("1.16.2", "26")``; ``"1.16.2"`` → ``("1.16.2", None)``."""
    match = re.fullmatch(r"v?([\d.]+)(?:-otp-(\d+))?", spec.strip())
    if not match:
        return spec.strip(), None
    return match.group(1), match.group(2)


def from_tool_versions(text: str, rel: str = ".tool-versions") -> list[Constraint]:
    """Pins: ``elixir 1.15`` (any 1.15.x), ``elixir 1.16.2-otp-26`` (and OTP 26.x),
    ``erlang 25.0`` (the 25.0.x line), ``nodejs 20``."""
    found = []
    tools = read_tool_versions(text)
    if "elixir" in tools:
        spec, line = tools["elixir"]
        elixir, otp_major = split_elixir(spec)
        if allows := exact_or_line("elixir", elixir):
            where = f"{rel}:{line}"
            found.append(
                Constraint("elixir", allows, False, "pin", where, f"elixir {spec}", elixir)
            )
            if otp_major:
                found.append(
                    Constraint(
                        "otp",
                        exact_or_line("otp", otp_major) or "",
                        False,
                        "pin",
                        where,
                        f"elixir {spec}",
                        otp_major,
                    )
                )
    if "erlang" in tools:
        spec, line = tools["erlang"]
        if allows := exact_or_line("otp", spec):
            found.append(
                Constraint("otp", allows, False, "pin", f"{rel}:{line}", f"erlang {spec}", spec)
            )
    for name in ("nodejs", "node"):
        if name in tools:
            spec, line = tools[name]
            if allows := exact_or_line("node", spec):
                found.append(
                    Constraint(
                        "node", allows, False, "pin", f"{rel}:{line}", f"{name} {spec}", spec
                    )
                )
            break
    return found


def node_pin_file(text: str, rel: str) -> Constraint | None:
    """``.nvmrc`` / ``.node-version``: ``20``, ``v20.11.1`` (``lts/*`` names no version)."""
    for number, line in enumerate(text.splitlines(), 1):
        value = line.split("#", 1)[0].strip()
        if value:
            allows = exact_or_line("node", value) if value.lstrip("v")[:1].isdigit() else None
            if allows is None:
                return None
            return Constraint("node", allows, False, "pin", f"{rel}:{number}", value, value)
    return None


# ---- Dockerfiles and CI: what the project last built and tested with ----

CI_FILES = (".gitlab-ci.yml", ".travis.yml", ".circleci/config.yml")

_ARG = re.compile(r"^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)", re.I)
_FROM = re.compile(r"^\s*FROM\s+(?:--\S+\s+)*(\S+)", re.I)
_VAR = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")
# setup-beam inputs, matrix keys, Travis keys, and env variables (`ELIXIR_VERSION: "1.13.4"`).
_CI_KEY = re.compile(
    r"^\s*-?\s*(elixir[-_]version|elixir|otp[-_]version|otp[-_]release|otp"
    r"|erlang[-_]version|erlang)\s*:\s*(.+?)\s*(?:#.*)?$",
    re.I,
)
_CI_IMAGE = re.compile(r"^\s*-?\s*(?:image|name)\s*:\s*['\"]?([^'\"\s#]+)")


def from_dockerfiles(root: Path, read: Read) -> list[Constraint]:
    """The FROM lines of the project's own Dockerfiles (``dockerfiles.own_dockerfiles``; ARG
    defaults substituted), as ``mix phx.gen.release --docker`` and hand-kept ones write them."""
    found: list[Constraint] = []
    for path, text in own_dockerfiles(root, read):
        rel = path.relative_to(root).as_posix()
        args: dict[str, str] = {}

        def expand(value: str, args: dict[str, str] = args) -> str:
            return _VAR.sub(lambda m: args.get(m.group(1), m.group(0)), value.strip("\"'"))

        for number, line in enumerate(text.splitlines(), 1):
            if match := _ARG.match(line):
                args[match.group(1)] = expand(match.group(2))
            elif match := _FROM.match(line):
                found.extend(
                    _image_constraints(expand(match.group(1)), f"{rel}:{number}", "dockerfile")
                )
    return found


def _image_constraints(reference: str, where: str, kind: Kind) -> list[Constraint]:
    facts = images.facts(reference)
    why = f"FROM {reference}" if kind == "dockerfile" else f"image {reference}"
    full = images.stated_build(reference)
    found = []
    pairs: tuple[tuple[Tool, str | None], ...] = (("elixir", facts.elixir), ("otp", facts.otp))
    for tool, value in pairs:
        if value and (allows := exact_or_line(tool, value)):
            found.append(
                Constraint(
                    tool,
                    allows,
                    False,
                    kind,
                    where,
                    why,
                    value,
                    full.image if full else None,
                )
            )
    if found and facts.family == "debian" and facts.codename:
        found.append(Constraint("os", facts.codename, False, kind, where, why, facts.codename))
    return found


def _ci_files(root: Path) -> list[Path]:
    workflows = root / ".github" / "workflows"
    found = sorted(workflows.glob("*.y*ml")) if workflows.is_dir() else []
    return found + [root / name for name in CI_FILES if (root / name).is_file()]


def _values(raw: str) -> list[str]:
    words = [w.strip(" '\"") for w in raw.strip("[]").split(",")]
    return [w.removesuffix(".x") for w in words if w[:1].isdigit()]


def from_ci(root: Path, read: Read) -> list[Constraint]:
    """The Elixir and OTP versions CI sets up (setup-beam inputs and matrices, Travis, a
    GitLab or CircleCI image): per file and tool, any of the versions listed."""
    found: list[Constraint] = []
    for path in _ci_files(root):
        rel = path.relative_to(root).as_posix()
        listed: dict[str, tuple[list[str], str]] = {}
        for number, line in enumerate(read(path).splitlines(), 1):
            if match := _CI_KEY.match(line):
                tool = "elixir" if match.group(1).lower().startswith("elixir") else "otp"
                values = [v for v in _values(match.group(2)) if versions.parse_version(v)]
                if values:
                    seen, where = listed.get(tool, ([], f"{rel}:{number}"))
                    listed[tool] = (seen + values, where)
            elif match := _CI_IMAGE.match(line):
                found.extend(_image_constraints(match.group(1), f"{rel}:{number}", "ci"))
        for tool, (values, where) in listed.items():
            alternatives = [a for a in (exact_or_line(tool, v) for v in values) if a]
            if alternatives:
                found.append(
                    Constraint(
                        tool,  # type: ignore[arg-type]
                        " or ".join(dict.fromkeys(alternatives)),
                        False,
                        "ci",
                        where,
                        f"{tool} {', '.join(dict.fromkeys(values))} in CI",
                        ", ".join(dict.fromkeys(values)),
                    )
                )
    return found


# ---- Node: engines and the JavaScript lock ----


def engines(package_json: dict[str, object], rel: str, text: str) -> Constraint | None:
    found = package_json.get("engines")
    if not isinstance(found, dict) or not isinstance(found.get("node"), str):
        return None
    requirement = npm_requirement(str(found["node"]))
    if not versions.is_requirement(requirement):
        return None
    return Constraint(
        "node",
        requirement,
        True,
        "engines",
        f"{rel}:{line_of(text, NODE_KEY)}",
        f"engines.node {found['node']!r} in {rel}",
        str(found["node"]),
    )


def npm_requirement(requirement: str) -> str:
    """npm's range syntax (``^20.11``, ``20.x``, ``>=18 <21``, ``a || b``) in Elixir's syntax."""
    alternatives: list[str] = []
    for alternative in requirement.split("||"):
        clauses: list[str] = []
        text = re.sub(r"(>=|<=|>|<|=)\s+", r"\1", alternative)
        for word in text.split():
            word = re.sub(r"\.[x*]", "", word)
            bare = word.lstrip("^~v=")
            head = versions.parse_version(bare)
            if word[:1] in "^0123456789v=" and head:
                if word[:1] in "0123456789v=" and len(head) >= 3:
                    clauses.append(f"== {bare}")
                else:
                    clauses.append(f">= {bare} and < {head[0] + 1}.0.0")
            elif word.startswith("~") and head:
                upper = f"{head[0]}.{head[1] + 1}.0" if len(head) > 1 else f"{head[0] + 1}.0.0"
                clauses.append(f">= {bare} and < {upper}")
            else:
                clauses.append(word)
        alternatives.append(" and ".join(clauses))
    return " or ".join(alternatives)


def from_npm_lock(
    locked: dict[str, str], lockfile_version: int | None, rel: str, text: str
) -> list[Constraint]:
    """Locked packages that limit Node (hard), and npm 6's lock format (soft)."""
    found = []
    for rule in packages.NPM_RULES:
        version = locked.get(rule.package)
        if version and versions.satisfies(version, rule.requirement):
            line = line_of(
                text,
                rf'"(?:node_modules/)?{re.escape(rule.package)}"\s*:|^"?{re.escape(rule.package)}@',
            )
            found.append(
                Constraint(
                    "node",
                    rule.allows,
                    True,
                    "lock",
                    f"{rel}:{line}",
                    f"{rule.package} {version} needs Node {rule.allows}: it {rule.why}",
                    version,
                )
            )
    if lockfile_version == 1:
        rule = packages.NPM6_LOCK
        found.append(
            Constraint(
                "node",
                rule.allows,
                False,
                "format",
                f"{rel}:{line_of(text, LOCK_FORMAT_KEY)}",
                f"lockfileVersion 1: {rule.why}",
                "1",
            )
        )
    return found
