"""Which Elixir, OTP and Node versions a project builds with, and where each choice came from.

Order of evidence: explicit options, then `.tool-versions` (asdf/mise), then version
requirements (`elixir:` in mix.exs, `engines.node` in package.json, `.nvmrc`), then the newest
known-good combination in kubenative's table (see ``kubenative.images``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kubenative import images
from kubenative.images import OsFamily
from kubenative.project import versions
from kubenative.project.model import Version


def read_tool_versions(text: str) -> dict[str, str]:
    """``.tool-versions`` lines (``elixir 1.16.2-otp-26``) → ``{"elixir": "1.16.2-otp-26"}``."""
    tools: dict[str, str] = {}
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2:
            tools[words[0]] = words[1]
    return tools


def split_elixir(spec: str) -> tuple[str, str | None]:
    """``"1.16.2-otp-26"`` → ``("1.16.2", "26")``; ``"1.16.2"`` → ``("1.16.2", None)``."""
    match = re.fullmatch(r"v?([\d.]+)(?:-otp-(\d+))?", spec.strip())
    if not match:
        return spec.strip(), None
    return match.group(1), match.group(2)


def resolve_elixir(
    exact: str | None,
    exact_source: str,
    requirements: Iterable[tuple[str, str]],
    family: OsFamily = "debian",
) -> Version:
    """An exact version wins; else the newest known Elixir (built for ``family``) meeting every
    requirement."""
    if exact:
        return Version(split_elixir(exact)[0], exact_source)
    reqs = [(req, where) for req, where in requirements if versions.is_requirement(req)]
    for candidate in images.elixir_versions(family):
        if all(versions.satisfies(candidate, req) for req, _ in reqs):
            if reqs:
                where = ", ".join(sorted({f"{req!r} in {w}" for req, w in reqs}))
                return Version(candidate, f"newest known version meeting {where}")
            return Version(candidate, "kubenative default")
    unmet = ", ".join(f"{req!r} in {w}" for req, w in reqs)
    return Version(
        images.default_build(family).elixir, f"kubenative default (no known version meets {unmet})"
    )


def resolve_otp(
    elixir: str,
    exact: str | None,
    exact_source: str,
    major: str | None,
    family: OsFamily = "debian",
) -> Version:
    """An exact OTP wins; else the newest OTP paired with this Elixir (and major) in the table."""
    if exact:
        return Version(exact, exact_source)
    for build in images.builds_for(elixir, major, family) + images.builds_for(elixir, major):
        return Version(build.otp, f"newest OTP known to pair with Elixir {elixir}")
    minor = ".".join(elixir.split(".")[:2])
    for build in images.KNOWN_BUILDS:
        same_minor = build.elixir.startswith(minor + ".")
        if same_minor and (major is None or versions.major(build.otp) == int(major)):
            return Version(build.otp, f"newest OTP known to pair with Elixir {minor}")
    if major:
        return Version(major, "OTP major from the Elixir version")
    return Version(images.default_build(family).otp, "kubenative default")


def resolve_node(
    exact: str | None, exact_source: str, requirement: str | None, requirement_source: str
) -> Version:
    if exact:
        return Version(exact.lstrip("v"), exact_source)
    if requirement:
        req = _npm_requirement(requirement)
        for candidate in images.KNOWN_NODE:
            if versions.satisfies(candidate, req):
                return Version(
                    candidate, f"newest known Node meeting {requirement!r} in " + requirement_source
                )
    return Version(images.DEFAULT_NODE, "kubenative default")


def _npm_requirement(requirement: str) -> str:
    """npm's range syntax (``^20.11``, ``20.x``, ``>=18 <21``, ``a || b``) in Elixir's syntax."""
    alternatives: list[str] = []
    for alternative in requirement.split("||"):
        clauses: list[str] = []
        text = re.sub(r"(>=|<=|>|<|=)\s+", r"\1", alternative)
        for word in text.split():
            word = re.sub(r"\.[x*]", "", word)
            bare = word.lstrip("^~v")
            head = versions.parse_version(bare)
            if word[:1] in "^0123456789v" and head:
                clauses.append(f">= {bare} and < {head[0] + 1}.0.0")
            elif word.startswith("~") and head:
                upper = f"{head[0]}.{head[1] + 1}.0" if len(head) > 1 else f"{head[0] + 1}.0.0"
                clauses.append(f">= {bare} and < {upper}")
            else:
                clauses.append(word)
        alternatives.append(" and ".join(clauses))
    return " or ".join(alternatives)
