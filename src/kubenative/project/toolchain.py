"""Which Elixir, OTP and Node versions a project builds with, and where each choice came from.

Order of evidence: explicit options, then `.tool-versions` (asdf/mise), then version
requirements (`elixir:` in mix.exs, `engines.node` in package.json, `.nvmrc`), then the newest
known-good combination in kubenative's table (see ``kubenative.images``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from kubenative import images, node_images
from kubenative.images import OsFamily
from kubenative.project import versions
from kubenative.project.era import Cap
from kubenative.project.model import Hint, Version, VersionEvidence


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


# ---- Elixir and OTP: one published hexpm/elixir pair, chosen from the project's evidence ----


@cache
def _compatibility() -> dict[str, Any]:
    text = resources.files("kubenative").joinpath("data/elixir_otp.json").read_text("utf-8")
    table: dict[str, Any] = json.loads(text)["elixir"]
    return table


def otp_range(elixir: str) -> tuple[int, int] | None:
    """The OTP majors an Elixir release supports (Elixir's compatibility table), or None."""
    minor = ".".join(elixir.split(".")[:2])
    entry = _compatibility().get(minor)
    if entry is None:
        return None
    low, high = entry["otp"]
    for otp_major, since in entry.get("from_patch", {}).items():
        if versions.sort_key(elixir) >= versions.sort_key(since):
            high = max(high, int(otp_major))
    return int(low), int(high)


def compatible(elixir: str, otp: str) -> bool:
    supported = otp_range(elixir)
    otp_major = versions.major(otp)
    return supported is None or (
        otp_major is not None and supported[0] <= otp_major <= supported[1]
    )


def _prefix(version: str, spec: str) -> bool:
    """``1.14.5`` matches ``1.14`` and ``1.14.5``; ``26.2.5`` matches ``26``."""
    have, want = versions.parse_version(version), versions.parse_version(spec)
    return have is not None and want is not None and have[: len(want)] == want


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


@dataclass(frozen=True)
class BeamChoice:
    elixir: Version
    otp: Version
    build: images.KnownBuild | None
    warnings: tuple[str, ...] = ()


def choose_beam(
    evidence: VersionEvidence,
    requirements: Iterable[tuple[str, str]],
    family: OsFamily = "debian",
    release: str | None = None,
    elixir_option: str | None = None,
    otp_option: str | None = None,
) -> BeamChoice:
    """:func:`_choose_beam`; versions that a Dockerfile or CI states (not pins) give way when no
    known image has them: the choice is then made as if they were not stated, with a warning."""
    reqs = list(requirements)
    choice = _choose_beam(evidence, reqs, family, release, elixir_option, otp_option)
    pinned = elixir_option or otp_option or evidence.elixir_pin or evidence.otp_pin
    if choice.build is not None or pinned or not evidence.hints:
        return choice
    stated = ", ".join(f"{h.tool} {h.value} in {h.source}" for h in evidence.hints)
    # The nearest the table knows before nothing at all: a Dockerfile's `elixir:1.7.3` or CI's
    # `otp-version: 23.0.2` says the project's era, and the newest Elixir would break it.
    relaxed = _relaxed(evidence.hints, family)
    if relaxed != evidence.hints:
        near = _choose_beam(replace(evidence, hints=relaxed), reqs, family, release)
        if near.build is not None:
            note = (
                f"kubenative knows no hexpm/elixir image on {family} of what the project states "
                f"({stated}); choosing the nearest it knows (Elixir {near.elixir.value}, OTP "
                f"{near.otp.value})"
            )
            return BeamChoice(near.elixir, near.otp, near.build, (note, *near.warnings))
    plain = VersionEvidence(caps=evidence.caps)
    fallback = _choose_beam(plain, reqs, family, release)
    note = (
        f"kubenative knows no hexpm/elixir image on {family} of what the project states "
        f"({stated}); choosing as if it stated nothing"
    )
    return BeamChoice(fallback.elixir, fallback.otp, fallback.build, (note, *fallback.warnings))


def _relaxed(hints: tuple[Hint, ...], family: OsFamily) -> tuple[Hint, ...]:
    """Stated versions widened to what an image may have: OTP to its major (`23.0.2` → `23`),
    Elixir to the oldest known minor at or above the stated one (`1.7.3` → `1.9`, the oldest
    hexpm image kubenative knows)."""
    exact = images.elixir_versions(family)
    known = sorted({_minor(v) for v in exact}, key=versions.sort_key)
    widened: list[Hint] = []
    for hint in hints:
        value = hint.value
        if hint.tool == "otp":
            value = value.split(".", 1)[0]
        elif hint.tool == "elixir" and value not in exact:
            wanted = versions.sort_key(_minor(value))
            value = next((m for m in known if versions.sort_key(m) >= wanted), value)
        source = hint.source if value == hint.value else f"{hint.source}, nearest known"
        widened.append(replace(hint, value=value, source=source))
    return tuple(widened)


@dataclass(frozen=True)
class _Wanted:
    """What the Elixir/OTP pair must meet: the pins, the pinned or stated versions (``spec``),
    mix.exs's ``elixir:`` requirements and the lock's caps, among the known ``pool``."""

    elixir_pin: Version | None
    otp_pin: Version | None
    elixir_spec: Version | None
    otp_spec: Version | None
    reqs: list[tuple[str, str]]
    caps: tuple[Cap, ...]
    family: OsFamily
    pool: tuple[images.KnownBuild, ...]


def _choose_beam(
    evidence: VersionEvidence,
    requirements: Iterable[tuple[str, str]],
    family: OsFamily = "debian",
    release: str | None = None,
    elixir_option: str | None = None,
    otp_option: str | None = None,
) -> BeamChoice:
    """The Elixir/OTP pair to build with, always one hexpm built when the table knows one.

    In order: pins (options, .tool-versions: ``elixir X-otp-N`` pins both, an Elixir-only pin
    gets the newest OTP that Elixir supports); else what the project's Dockerfiles and CI state;
    else the newest known Elixir meeting mix.exs's ``elixir:`` requirement. Always: Elixir's
    compatibility table, and every cap from the lock (project/era.py)."""
    wanted = _wanted(evidence, requirements, family, release, elixir_option, otp_option)
    warnings: list[str] = []
    chosen, want = _pick(wanted, warnings)
    if chosen is None:
        return _unknown_pair(wanted.elixir_spec, wanted.otp_spec, wanted.reqs, family, warnings)
    elixir_capped, otp_capped = _capped_by(wanted, want, chosen)
    return BeamChoice(
        Version(chosen.elixir, _elixir_source(wanted, chosen), elixir_capped),
        Version(chosen.otp, _otp_source(wanted, chosen), otp_capped),
        chosen,
        tuple(warnings),
    )


def _wanted(
    evidence: VersionEvidence,
    requirements: Iterable[tuple[str, str]],
    family: OsFamily,
    release: str | None,
    elixir_option: str | None,
    otp_option: str | None,
) -> _Wanted:
    elixir_pin = Version(elixir_option, "--elixir") if elixir_option else evidence.elixir_pin
    otp_pin = (
        Version(otp_option, "--otp")
        if otp_option
        else (None if elixir_option else evidence.otp_pin)
    )
    elixir_hint = next((h for h in evidence.hints if h.tool == "elixir"), None)
    otp_hint = next((h for h in evidence.hints if h.tool == "otp"), None)
    elixir_spec = elixir_pin or (
        Version(elixir_hint.value, elixir_hint.source) if elixir_hint else None
    )
    otp_spec = otp_pin or (Version(otp_hint.value, otp_hint.source) if otp_hint else None)
    return _Wanted(
        elixir_pin=elixir_pin,
        otp_pin=otp_pin,
        elixir_spec=elixir_spec,
        otp_spec=otp_spec,
        reqs=[(r, w) for r, w in requirements if versions.is_requirement(r)],
        caps=evidence.caps,
        family=family,
        pool=images.builds_for(None, None, family, release),
    )


def _capped_out(build: images.KnownBuild, caps: tuple[Cap, ...]) -> list[Cap]:
    return [
        cap
        for cap in caps
        if (cap.tool == "elixir" and not cap.allows(build.elixir))
        or (cap.tool == "otp" and not cap.allows(build.otp))
    ]


def _fits(
    wanted: _Wanted, build: images.KnownBuild, elixir_want: str | None, with_caps: bool
) -> bool:
    if elixir_want is not None:
        if not _prefix(build.elixir, elixir_want):
            return False
    elif not all(versions.satisfies(build.elixir, r) for r, _ in wanted.reqs):
        return False
    otp_spec = wanted.otp_spec
    if otp_spec is not None:
        if "." in otp_spec.value and wanted.otp_pin is not None:
            if build.otp != otp_spec.value:
                return False
        elif not _prefix(build.otp, otp_spec.value):
            return False
    # Elixir's table decides unless both are pinned (hexpm built a few pairs outside it).
    if not (wanted.elixir_pin and wanted.otp_pin) and not compatible(build.elixir, build.otp):
        return False
    return not (with_caps and _capped_out(build, wanted.caps))


def _best(wanted: _Wanted, elixir_want: str | None, with_caps: bool) -> images.KnownBuild | None:
    found = [b for b in wanted.pool if _fits(wanted, b, elixir_want, with_caps)]
    return max(
        found,
        key=lambda b: (versions.sort_key(b.elixir), versions.sort_key(b.otp)),
        default=None,
    )


def _pick(wanted: _Wanted, warnings: list[str]) -> tuple[images.KnownBuild | None, str | None]:
    """The newest known build that fits, and the Elixir version it was chosen for: the stated
    one, else its minor (with a warning), else, when the lock's caps rule out every build, the
    newest build without them (with a warning)."""
    elixir_spec = wanted.elixir_spec
    want = elixir_spec.value if elixir_spec else None
    chosen = _best(wanted, want, True)
    if chosen is None and want is not None and _minor(want) != want:
        chosen = _best(wanted, _minor(want), True)
        if chosen is not None:
            warnings.append(
                f"no hexpm/elixir image of Elixir {want} ("
                + (elixir_spec.source if elixir_spec else "")
                + f") is known to kubenative; building with {chosen.elixir}, the newest known "
                f"{_minor(want)} image (pass --builder-image to build with exactly {want})"
            )
            want = _minor(want)
    if chosen is None and wanted.caps:
        chosen = _despite_caps(wanted, want, warnings)
    return chosen, want


def _despite_caps(
    wanted: _Wanted, want: str | None, warnings: list[str]
) -> images.KnownBuild | None:
    family = wanted.family
    stuck = _best(wanted, want, False)
    if stuck is not None:
        unmet = "; ".join(cap.reason for cap in _capped_out(stuck, wanted.caps))
        warnings.append(
            f"no hexpm/elixir image on {family} known to kubenative meets the lock "
            f"({unmet}); "
            f"building with Elixir {stuck.elixir}/OTP {stuck.otp}, which the lock may not "
            "build with: pass --builder-image with an older Elixir/OTP"
            + (
                ", or --os alpine"
                if family == "debian"
                and any(
                    b.family == "alpine" and not _capped_out(b, wanted.caps)
                    for b in images.KNOWN_BUILDS
                )
                else ""
            )
        )
    return stuck


def _capped_by(
    wanted: _Wanted, want: str | None, chosen: images.KnownBuild
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The lock's reasons the Elixir and the OTP chosen are older than they would be without
    its caps."""
    uncapped = _best(wanted, want, False)
    if uncapped is None or uncapped == chosen:
        return (), ()
    reasons = tuple(cap.reason for cap in _capped_out(uncapped, wanted.caps))
    return (
        reasons if uncapped.elixir != chosen.elixir else (),
        reasons if uncapped.otp != chosen.otp else (),
    )


def _elixir_source(wanted: _Wanted, chosen: images.KnownBuild) -> str:
    elixir_spec = wanted.elixir_spec
    if elixir_spec is not None:
        if chosen.elixir != elixir_spec.value:
            return f"{elixir_spec.value!r} in {elixir_spec.source}"
        return elixir_spec.source
    if wanted.reqs:
        where = ", ".join(sorted({f"{r!r} in {w}" for r, w in wanted.reqs}))
        return f"newest known version meeting {where}"
    return "kubenative default" if not wanted.caps else "newest known version"


def _otp_source(wanted: _Wanted, chosen: images.KnownBuild) -> str:
    otp_spec = wanted.otp_spec
    if otp_spec is not None:
        if chosen.otp != otp_spec.value:
            return f"newest known OTP {otp_spec.value}.x, from {otp_spec.source}"
        return otp_spec.source
    low, high = otp_range(chosen.elixir) or (0, 0)
    return (
        f"newest OTP that Elixir {_minor(chosen.elixir)} supports ({low}-{high}) "
        "with a known hexpm/elixir image"
    )


def _unknown_pair(
    elixir_spec: Version | None,
    otp_spec: Version | None,
    reqs: list[tuple[str, str]],
    family: OsFamily,
    warnings: list[str],
) -> BeamChoice:
    """No known image fits: keep what was pinned, take the newest OTP major Elixir supports,
    and say that the tag is unverified."""
    elixir = elixir_spec if elixir_spec is not None else resolve_elixir(None, "", reqs, family)
    if otp_spec is not None:
        otp = otp_spec
    else:
        supported = otp_range(elixir.value)
        otp = (
            Version(str(supported[1]), f"newest OTP that Elixir {_minor(elixir.value)} supports")
            if supported
            else resolve_otp(elixir.value, None, "", None, family)
        )
    warnings.append(
        f"Elixir {elixir.value} with OTP {otp.value} on {family} is not in kubenative's table of "
        "known hexpm/elixir images; check that the builder tag exists, or pass --builder-image"
    )
    return BeamChoice(elixir, otp, None, tuple(warnings))
