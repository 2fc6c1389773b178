"""Which Elixir, OTP and Node versions a project builds with, and where each choice came from.

Order of evidence: explicit options, then `.tool-versions` (asdf/mise), then version
requirements (`elixir:` in mix.exs, `engines.node` in package.json, `.nvmrc`), then the newest
known-good combination in kubenative's table (see ``kubenative.images``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kubenative import images, node_images
from kubenative.images import OsFamily
from kubenative.project import versions
from kubenative.project.era import Cap
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
    exact: str | None,
    exact_source: str,
    requirement: str | None,
    requirement_source: str,
    caps: Iterable[Cap] = (),
    family: OsFamily = "debian",
) -> Version:
    """A pin names the Node (the newest published version it matches); else the newest
    version meeting ``engines`` and staying under every cap from the lock, preferring the LTS
    releases in kubenative's table; never a version without a published image."""
    if exact:
        found = node_images.matching(exact, family)
        if found is not None:
            shown = exact_source if found == exact.lstrip("v") else f"{exact!r} in {exact_source}"
            return Version(found, shown)
    caps = tuple(cap for cap in caps if cap.tool == "node")
    req = _npm_requirement(requirement) if requirement else None
    if req is None and not caps:
        return Version(images.DEFAULT_NODE, "kubenative default")

    def meets(version: str, with_caps: bool) -> bool:
        if node_images.variant(version, family, "") is None:
            return False
        if req is not None and not versions.satisfies(version, req):
            return False
        return not with_caps or all(cap.allows(version) for cap in caps)

    order = images.KNOWN_NODE + node_images.newest_first()
    uncapped = next((v for v in order if meets(v, False)), None)
    chosen = next((v for v in order if meets(v, True)), None)
    if chosen is None:
        return Version(images.DEFAULT_NODE, "kubenative default (no published Node meets the lock)")
    source = (
        f"newest known Node meeting {requirement!r} in {requirement_source}"
        if requirement
        else "newest known Node the lock allows"
    )
    capped = tuple(cap.reason for cap in caps if uncapped is not None and not cap.allows(uncapped))
    return Version(chosen, source, capped if chosen != uncapped else ())


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
