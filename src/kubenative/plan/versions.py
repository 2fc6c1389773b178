"""One answer to "which Elixir, OTP, OS release and Node": the project's constraints
(``kubenative.project.constraints``) solved against the catalog of published images.

The newest published build that meets every hard constraint and is closest to the soft
evidence. Soft evidence is applied in the order it is believed (pins, then the project's own
Dockerfiles, then its CI): each narrows the candidates to those that meet it, or, when none is
published, to the nearest published ones (``1.14.4`` → the newest 1.14 patch). A soft line that
only hard constraints exclude loses, with a warning naming both lines. Hard constraints that no
published image meets together are an error naming each line. ``inspect``, ``inspect --json``,
``init`` and the Dockerfile header all print the :class:`Versions` this module returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from kubenative.catalog import distros, images, node, releases, versions
from kubenative.catalog.builds import Build
from kubenative.catalog.distros import OsFamily
from kubenative.errors import UserError
from kubenative.options import Options
from kubenative.project.constraints import SOFT_ORDER, Constraint, exact_or_line
from kubenative.project.model import Assets, Project


@dataclass(frozen=True)
class Version:
    """A chosen version and why: the line that decided it, and the lock entries that kept a
    newer one out."""

    value: str
    source: str
    capped: tuple[str, ...] = ()

    def describe(self) -> str:
        """``23.3.4.20 (newest ...; capped: mix.lock:9: plug_crypto 1.0.0 needs ...)``"""
        why = "; ".join((self.source, *(f"capped: {c}" for c in self.capped)))
        return f"{self.value} ({why})"


@dataclass(frozen=True)
class Versions:
    """The solved choice: versions, the images that carry them, and why."""

    family: OsFamily
    elixir: Version
    otp: Version
    os_release: str  # "bookworm-20260803", "stretch", "3.22.5" ("" when overrides name none)
    builder: str  # the builder image reference
    runtime: str  # the runtime image reference (the builder's OS release)
    origin: str  # who publishes the builder: hexpm, official, stated (by the project), option
    rule: str  # why kubenative knows the builder exists
    libssl: str | None = None  # the OpenSSL package OTP's crypto links against
    node: Version | None = None
    node_image: str | None = None
    node_release: str | None = None  # the OS release of the Node image
    constraints: tuple[Constraint, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def archived(self) -> bool:
        """Whether the builder's and runtime's OS release left the Debian mirrors."""
        return distros.archived(self.family, self.os_release)

    @property
    def node_archived(self) -> bool:
        return self.node_release is not None and distros.archived("debian", self.node_release)

    def to_json(self) -> dict[str, Any]:
        def one(version: Version | None) -> dict[str, Any] | None:
            if version is None:
                return None
            return {
                "version": version.value,
                "from": version.source,
                "capped": list(version.capped),
            }

        return {
            "elixir": one(self.elixir),
            "otp": one(self.otp),
            "os": {"family": self.family, "release": self.os_release, "archived": self.archived},
            "builder": {"image": self.builder, "origin": self.origin, "known": self.rule},
            "runtime": self.runtime,
            "node": one(self.node),
            "node_image": self.node_image,
            "constraints": [c.to_json() for c in self.constraints],
        }

    def header(self) -> list[str]:
        """The Dockerfile header's account of the choice (the same words inspect prints)."""
        lines = [
            f"Elixir {self.elixir.describe()}",
            f"OTP {self.otp.describe()}",
            f"{self.family} {self.os_release or '(from the images)'}: {self.builder} ({self.rule})",
        ]
        if self.node is not None:
            lines.append(f"Node.js {self.node.describe()}")
        return lines


# ---- the solver ----


def _value(tool: str) -> Callable[[Any], str]:
    """The version of ``tool`` an item carries: a Build's Elixir, OTP or OS release (its
    codename), or a Node version itself."""
    if tool == "elixir":
        return lambda build: str(build.elixir)
    if tool == "otp":
        return lambda build: str(build.otp)
    if tool == "os":
        return lambda build: str(build.codename)
    return lambda version: str(version)


def _fits(item: Build, constraint: Constraint) -> bool:
    return constraint.meets(_value(constraint.tool)(item))


def _compatible(build: Build) -> bool:
    """Elixir's own table decides, except for an image the project names itself."""
    return build.origin == "stated" or releases.compatible(build.elixir, build.otp)


@dataclass
class _Solving:
    """Candidates and what was said about them along the way."""

    pool: list[Any]
    hard: list[Constraint]
    candidates: list[Any]
    fits: Callable[[Any, Constraint], bool]
    decided: dict[str, str] = field(default_factory=dict)  # tool → the line that decided it
    decided_kind: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    inexact: list[Constraint] = field(default_factory=list)  # met only by a nearby version


_NAMES = {"elixir": "Elixir", "otp": "OTP", "node": "Node", "os": "OS"}


def _tiers(constraint: Constraint) -> list[tuple[str, Callable[[Any], bool]]]:
    """The ways a soft line can be met, tightest first: the image it names; its versions; their
    line (same Elixir minor, same OTP major.minor); the same OTP major."""
    tiers: list[tuple[str, Callable[[Any], bool]]] = []
    if constraint.image:
        image = constraint.image
        tiers.append(("image", lambda b: getattr(b, "image", None) == image))
    value = _value(constraint.tool)
    tiers.append(("exact", lambda b: constraint.meets(value(b))))
    stated = constraint.stated
    parsed = versions.parse_version(stated) or ()
    if constraint.tool in ("elixir", "otp", "node") and len(parsed) >= 3:
        line = exact_or_line(constraint.tool, ".".join(str(p) for p in parsed[:2])) or ""
        tiers.append(("line", lambda b: versions.satisfies(value(b), line)))
    if constraint.tool in ("otp", "node") and len(parsed) >= 2:
        major = exact_or_line(constraint.tool, str(parsed[0])) or ""
        tiers.append(("major", lambda b: versions.satisfies(value(b), major)))
    return tiers


def _soft(solving: _Solving, constraint: Constraint) -> None:
    """Narrow the candidates to those nearest to one soft line: the tightest tier of it that
    some candidate meets. A tier nothing published meets is skipped; one only the hard
    constraints exclude makes the line lose (a warning naming both); one that better evidence
    already excluded (a pin before CI, ``erlang 26.2.5`` beside ``elixir 1.16.3``) is widened."""
    tool = constraint.tool
    # Evidence of a kind that already decided this tool is worth a word when only a nearby
    # version can be had; lower evidence (CI after a pin) is quietly outranked.
    speaks = solving.decided_kind.get(tool, constraint.kind) == constraint.kind
    for name, test in _tiers(constraint):
        published = [b for b in solving.pool if test(b)]
        if not published:
            continue  # nothing published that close: try the next, wider tier
        meeting = [b for b in solving.candidates if test(b)]
        if meeting:
            solving.candidates = meeting
            if tool != "os":
                exact = name in ("image", "exact")
                _decide(solving, constraint, exact)
                if not exact and speaks:
                    solving.inexact.append(constraint)
            return
        if any(all(solving.fits(b, h) for h in solving.hard) for b in published):
            continue  # better evidence chose otherwise: try the next, wider tier
        if tool != "os":
            blockers = "; ".join(b.describe() for b in _blockers(solving, test))
            solving.warnings.append(
                f"{constraint.source}: {_NAMES[tool]} {constraint.stated} ({constraint.why}) is "
                f"overruled by {blockers}: no published image has both"
            )
        return
    if tool == "os" or not speaks:
        return
    if constraint.kind == "format":
        solving.warnings.append(
            f"{constraint.source}: {constraint.why}; no Node published for it meets the other "
            "constraints, so the frontend build may fail"
        )
        return
    # Nothing published near: the candidates nearest to the stated version.
    wanted = versions.sort_key(constraint.stated or "0")
    value = _value(tool)

    def distance(item: Any) -> tuple[int, ...]:
        have = versions.sort_key(value(item))
        return tuple(abs(a - b) for a, b in zip(have, wanted, strict=True))

    best = min(distance(b) for b in solving.candidates)
    solving.candidates = [b for b in solving.candidates if distance(b) == best]
    _decide(solving, constraint, False)
    solving.inexact.append(constraint)


_BEAM_TOOLS = ("elixir", "otp", "os")


def _narrow(solving: _Solving, constraints: Sequence[Constraint], tools: Sequence[str]) -> None:
    """Apply the soft lines about ``tools`` in the order they are believed."""
    soft = [c for c in constraints if not c.hard and c.tool in tools]
    for constraint in sorted(soft, key=lambda c: SOFT_ORDER.index(c.kind)):
        _soft(solving, constraint)


def _decide(solving: _Solving, constraint: Constraint, exact: bool) -> None:
    """Credit the line that decided a tool's version: the first to narrow it, or a later line of
    the same kind that pins it exactly (``erlang 25.3.2.21`` after ``elixir 1.14.5-otp-25``)."""
    tool = constraint.tool
    if tool not in solving.decided or (exact and solving.decided_kind.get(tool) == constraint.kind):
        solving.decided[tool] = _said(constraint, exact)
        solving.decided_kind[tool] = constraint.kind


def _not_published(solving: _Solving, chosen: Any) -> None:
    """One warning per soft line met only nearly, naming what is built instead."""
    for constraint in solving.inexact:
        solving.warnings.append(
            f"{constraint.source}: no published image with the rest of the choice has "
            f"{_NAMES[constraint.tool]} {constraint.stated} "
            f"({constraint.why}); building with {_value(constraint.tool)(chosen)}, the nearest "
            "that is"
        )


def _said(constraint: Constraint, exact: bool) -> str:
    if exact:
        return f"{constraint.source} ({constraint.why})"
    return f"nearest published to {constraint.why} at {constraint.source}"


def _blockers(solving: _Solving, test: Callable[[Any], bool]) -> list[Constraint]:
    """The hard constraints that keep every item meeting ``test`` out."""
    near = [b for b in solving.pool if test(b)]
    single = [h for h in solving.hard if not any(solving.fits(b, h) for b in near)]
    return single or solving.hard


def _conflict(
    hard: Sequence[Constraint],
    pool: Sequence[Any],
    fits: Callable[[Any, Constraint], bool],
    what: str,
) -> str:
    """Which hard constraints no published image meets together, each with its line."""
    alone = [h for h in hard if not any(fits(b, h) for b in pool)]
    if alone:
        return f"no published {what} meets " + "; ".join(h.describe() for h in alone)
    for index, first in enumerate(hard):
        for second in hard[index + 1 :]:
            if not any(fits(b, first) and fits(b, second) for b in pool):
                return (
                    f"these constraints conflict, no published {what} meets both: "
                    f"{first.describe()}; {second.describe()}"
                )
    return f"no published {what} meets all of: " + "; ".join(h.describe() for h in hard)


def _beam_preference(build: Build) -> tuple[Any, ...]:
    """Among equals: a release still on the mirrors, hexpm's exact tags, then the newest
    Elixir, OTP and OS release."""
    origin = {"stated": 2, "hexpm": 1, "official": 0}.get(build.origin, 0)
    return (
        not build.archived,
        versions.sort_key(build.elixir),
        versions.sort_key(build.otp),
        origin,
        -distros.newer_first(build.codename) if build.family == "debian" else 0,
        versions.sort_key(build.codename) if build.family == "alpine" else (),
        build.release,
    )


def _option_constraints(options: Options) -> list[Constraint]:
    found = []
    for tool, value in (("elixir", options.elixir), ("otp", options.otp), ("node", options.node)):
        if value and (allows := exact_or_line(tool, value)):
            flag = f"--{tool}"
            found.append(
                Constraint(tool, allows, True, "requirement", flag, f"{flag} {value}", value)  # type: ignore[arg-type]
            )
    return found


def _stated_builds(constraints: Sequence[Constraint], family: OsFamily) -> list[Build]:
    found: dict[str, Build] = {}
    for c in constraints:
        if c.image and (build := images.stated_build(c.image)) and build.family == family:
            found.setdefault(build.image, build)
    return list(found.values())


def _release_matches(build: Build, hint: str) -> bool:
    """``--os-release bookworm`` matches bookworm-20240612; Alpine 3.19 matches 3.19.1."""
    if build.family == "alpine":
        left, right = build.release.split("."), hint.split(".")
        return left[: len(right)] == right[: len(left)]
    return (
        build.release == hint
        or build.release.startswith(hint + "-")
        or (build.codename == hint.split("-", 1)[0] and "-" not in hint)
    )


def solve_beam(
    constraints: Sequence[Constraint], family: OsFamily, hint: str | None
) -> tuple[Build, Version, Version, list[str]]:
    """The builder: Elixir and OTP on one OS release."""
    pool = [
        b for b in [*images.builds(family), *_stated_builds(constraints, family)] if _compatible(b)
    ]
    if hint:
        pool = [b for b in pool if _release_matches(b, hint)]
        if not pool:
            raise UserError(
                f"no builder image on {family} {hint} is known to kubenative (hexpm builds on "
                "the newest Debian bullseye, bookworm and trixie tags): drop --os-release, or "
                "pass --builder-image"
            )
    hard = [c for c in constraints if c.hard and c.tool in ("elixir", "otp")]
    candidates = [b for b in pool if all(_fits(b, h) for h in hard)]
    if not candidates:
        message = _conflict(hard, pool, _fits, f"{family} builder image")
        if family == "alpine" and any(
            all(_fits(b, h) for h in hard) for b in images.builds("debian") if _compatible(b)
        ):
            message += " (the official Debian elixir images do: use --os debian)"
        raise UserError(message)
    solving = _Solving(pool, hard, candidates, _fits)
    _narrow(solving, constraints, _BEAM_TOOLS)
    chosen = max(solving.candidates, key=_beam_preference)
    _not_published(solving, chosen)
    uncapped = _uncapped(pool, hard, constraints, chosen)
    elixir = Version(
        chosen.elixir,
        _source("elixir", solving, hard, chosen),
        _capped("elixir", chosen, uncapped, hard),
    )
    otp = Version(
        chosen.otp, _source("otp", solving, hard, chosen), _capped("otp", chosen, uncapped, hard)
    )
    return chosen, elixir, otp, solving.warnings


def _uncapped(
    pool: list[Build], hard: list[Constraint], constraints: Sequence[Constraint], chosen: Build
) -> Build | None:
    """The choice without the lock's limits (for `versions_capped`)."""
    others = [h for h in hard if h.kind != "lock"]
    if len(others) == len(hard):
        return None
    candidates = [b for b in pool if all(_fits(b, h) for h in others)]
    if not candidates:
        return None
    solving = _Solving(pool, others, candidates, _fits)
    _narrow(solving, constraints, _BEAM_TOOLS)
    best: Build = max(solving.candidates, key=_beam_preference)
    return best


def _capped(
    tool: str, chosen: Build, uncapped: Build | None, hard: list[Constraint]
) -> tuple[str, ...]:
    if uncapped is None or _value(tool)(uncapped) == _value(tool)(chosen):
        return ()
    return tuple(h.describe() for h in hard if h.kind == "lock" and not _fits(uncapped, h))


def _source(tool: str, solving: _Solving, hard: list[Constraint], chosen: Build) -> str:
    if tool in solving.decided:
        return solving.decided[tool]
    shaping = [h for h in hard if h.tool == tool] or ([] if tool == "otp" else hard)
    if tool == "otp":
        low, high = releases.otp_range(chosen.elixir) or (0, 0)
        base = (
            f"newest OTP that Elixir {releases.minor(chosen.elixir)} supports ({low}-{high}) "
            "with a published image"
        )
        limits = [h.source for h in hard if h.tool == "otp"]
        return base + (f", within {', '.join(limits)}" if limits else "")
    if shaping:
        return "newest published meeting " + ", ".join(h.source for h in shaping)
    return "newest published (kubenative default)"


# ---- Node ----


def solve_node(
    constraints: Sequence[Constraint],
    family: OsFamily,
    builder_release: str,
    python2: tuple[str, str] | None = None,
) -> tuple[Version, str, str, list[str]]:
    """The Node to build assets with, and its published image nearest the builder's OS.
    ``python2`` (the lock's node-gyp that runs only Python 2, and its line): the image must be
    on an OS release that packages Python 2, so the frontend can install it; among the Node
    versions the constraints allow, those with such an image win, and when none has one, a
    warning says so."""
    pool = [v for v in node.newest_first() if node.variant(v, family, builder_release)]
    hard = [c for c in constraints if c.hard and c.tool == "node"]
    fits: Callable[[str, Constraint], bool] = lambda v, c: c.meets(v)  # noqa: E731
    candidates = [v for v in pool if all(fits(v, h) for h in hard)]
    if not candidates:
        raise UserError(_conflict(hard, pool, fits, f"node image on {family}"))
    solving = _Solving(pool, hard, candidates, fits)
    _narrow(solving, constraints, ("node",))

    def preference(version: str) -> tuple[bool, tuple[int, ...]]:
        return (versions.major(version) or 0) % 2 == 0, versions.sort_key(version)  # LTS lines

    among: Callable[[str], bool] | None = None
    if python2 is not None:
        has_python2 = partial(_has_python2, family)
        able = [v for v in solving.candidates if node.variant(v, family, "", has_python2)]
        if able:
            solving.candidates, among = able, has_python2
        else:
            solving.warnings.append(_no_python2(python2, family))
    chosen = max(solving.candidates, key=preference)
    _not_published(solving, chosen)
    source = solving.decided.get("node") or (
        "newest published LTS meeting " + ", ".join(h.source for h in hard)
        if hard
        else "newest published LTS (kubenative default)"
    )
    capped: tuple[str, ...] = ()
    others = [h for h in hard if h.kind != "lock"]
    free = [v for v in pool if all(fits(v, h) for h in others)]
    if len(others) != len(hard) and free:
        top = max(free, key=preference)
        if top != chosen:
            capped = tuple(h.describe() for h in hard if h.kind == "lock" and not fits(top, h))
    suffix, release = node.variant(chosen, family, builder_release, among) or ("", "")
    return Version(chosen, source, capped), f"node:{chosen}-{suffix}", release, solving.warnings


# node-gyp runs Python 3 from 5.0.5 on; before, its configure accepts Python 2 only (node-sass
# 3 and 4 depend on node-gyp 3.x). Python 2 is installed beside Python 3 then, from the Node
# image's own OS release (catalog.distros.PYTHON2), which the solver keeps to one that has it.
PYTHON3_NODE_GYP = "5.0.5"


def python2_node_gyp(assets: Iterable[Assets]) -> tuple[str, str] | None:
    """(version, file:line) of a node-gyp before 5.0.5 in a lock the frontend installs."""
    for item in assets:
        if not (item.node and item.native_modules and item.node_gyp):
            continue
        if versions.sort_key(item.node_gyp[0]) < versions.sort_key(PYTHON3_NODE_GYP):
            return item.node_gyp
    return None


def _has_python2(family: OsFamily, release: str) -> bool:
    return distros.python2_package(family, release) is not None


def _no_python2(python2: tuple[str, str], family: OsFamily) -> str:
    version, source = python2
    where = "Alpine up to 3.15" if family == "alpine" else "Debian up to bullseye"
    return (
        f"{source}: node-gyp {version} runs only Python 2 (node-gyp supports Python 3 from "
        f"5.0.5), and no published Node image the other constraints allow is on an OS release "
        f"that packages it ({where}): a native module that must compile fails to install; "
        "update what brings that node-gyp (node-sass 5+, or sass instead of node-sass), or "
        "pass --node-image with Python 2 in it"
    )


# ---- the whole choice ----


def solve(project: Project, options: Options, hint: str | None, node_needed: bool) -> Versions:
    """Solve the project's constraints (and the command line's) against the catalog."""
    family: OsFamily = "alpine" if options.os == "alpine" else "debian"
    constraints = [*project.constraints, *_option_constraints(options)]
    warnings: list[str] = []
    if options.builder_image:
        facts = images.facts(options.builder_image)
        os_release = hint or ""
        build = Build(
            facts.elixir or "unknown",
            facts.otp or "unknown",
            family,
            os_release,
            options.builder_image,
            "stated",
            "--builder-image, used verbatim",
        )
        elixir = Version(
            build.elixir,
            "--builder-image's tag" if facts.elixir else "not in --builder-image's tag",
        )
        otp = Version(
            build.otp, "--builder-image's tag" if facts.otp else "not in --builder-image's tag"
        )
        origin, rule, runtime = "option", build.rule, distros.runtime_image(family, os_release)
        libssl = None
    else:
        build, elixir, otp, more = solve_beam(constraints, family, hint)
        warnings.extend(more)
        os_release, origin, rule, runtime, libssl = (
            build.release,
            build.origin,
            build.rule,
            build.runtime,
            build.libssl,
        )
    # the fields in Versions' order: family, versions, OS release, images, why, libssl
    chosen = Versions(family, elixir, otp, os_release, build.image, runtime, origin, rule, libssl)
    if node_needed:
        version, image, release, more = solve_node(
            constraints, family, os_release, python2_node_gyp(project.assets)
        )
        warnings.extend(more)
        chosen = replace(chosen, node=version, node_image=image, node_release=release)
    return replace(chosen, constraints=tuple(constraints), warnings=tuple(warnings))
