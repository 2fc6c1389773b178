"""Base images derived from versions, from a built-in table (no network at generation time).

One OS choice (family + release) feeds the builder, Node and runtime images, so the builder and
the runtime can never drift apart: the builder's ERTS and NIFs are linked against exactly the
libraries that the runtime image ships.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kubenative.project import versions

OsFamily = Literal["debian", "alpine"]


@dataclass(frozen=True)
class KnownBuild:
    """One published ``hexpm/elixir`` combination known to exist."""

    elixir: str
    otp: str
    debian: str  # codename-date, e.g. "bookworm-20240513"
    alpine: str  # e.g. "3.19.1"


# Known-good hexpm/elixir combinations, newest first within each Elixir minor.
KNOWN_BUILDS: tuple[KnownBuild, ...] = (
    KnownBuild("1.18.1", "27.2", "bookworm-20241223", "3.21.0"),
    KnownBuild("1.17.3", "27.1.2", "bookworm-20241016", "3.20.3"),
    KnownBuild("1.17.3", "26.2.5.4", "bookworm-20241016", "3.20.3"),
    KnownBuild("1.16.3", "26.2.5", "bookworm-20240513", "3.19.1"),
    KnownBuild("1.16.2", "26.2.5", "bookworm-20240513", "3.19.1"),
    KnownBuild("1.15.7", "26.1.2", "bookworm-20231009", "3.18.4"),
    KnownBuild("1.15.7", "25.3.2.7", "bookworm-20231009", "3.18.4"),
    KnownBuild("1.14.5", "25.3.2.7", "bookworm-20231009", "3.18.4"),
    KnownBuild("1.14.5", "24.3.4.14", "bullseye-20231009", "3.18.4"),
    KnownBuild("1.13.4", "24.3.4.14", "bullseye-20231009", "3.17.5"),
)

DEFAULT_BUILD = KNOWN_BUILDS[0]

# Node.js: one current release per LTS line (official images are tagged per exact version).
KNOWN_NODE: tuple[str, ...] = ("22.12.0", "20.18.1", "18.20.5")
DEFAULT_NODE = KNOWN_NODE[0]

# Libraries an OTP release links against at run time, per OS release. ERTS needs libstdc++ (the
# JIT) and terminfo; `crypto` needs libcrypto; TLS clients need CA certificates. The C.UTF-8
# locale is built into glibc >= 2.35, so Debian images need no `locales` package for UTF-8.
RUNTIME_PACKAGES: dict[str, tuple[str, ...]] = {
    "bullseye": ("ca-certificates", "libncurses6", "libssl1.1", "libstdc++6"),
    "bookworm": ("ca-certificates", "libncurses6", "libssl3", "libstdc++6"),
    "trixie": ("ca-certificates", "libncurses6", "libssl3t64", "libstdc++6"),
    "alpine": ("ca-certificates", "libgcc", "libstdc++", "ncurses-libs", "openssl"),
}

BUILD_PACKAGES: dict[OsFamily, tuple[str, ...]] = {
    "debian": ("build-essential",),
    "alpine": ("build-base",),
}


def builds_for(elixir: str | None = None, otp: str | None = None) -> tuple[KnownBuild, ...]:
    """Known builds matching an exact Elixir and/or OTP version (an OTP major also matches)."""

    def otp_matches(build: KnownBuild) -> bool:
        if otp is None:
            return True
        if "." in otp:
            return build.otp == otp
        return versions.major(build.otp) == versions.major(otp)

    return tuple(
        build
        for build in KNOWN_BUILDS
        if (elixir is None or build.elixir == elixir) and otp_matches(build)
    )


def nearest_build(elixir: str) -> KnownBuild:
    """The known build whose Elixir version is closest to ``elixir``: its OS release is the
    likeliest to have been published alongside."""
    wanted = versions.sort_key(elixir)

    def distance(build: KnownBuild) -> tuple[int, ...]:
        have = versions.sort_key(build.elixir)
        return tuple(abs(a - b) for a, b in zip(have, wanted, strict=True))

    return min(KNOWN_BUILDS, key=distance)


def elixir_versions() -> tuple[str, ...]:
    """Every Elixir version in the table, newest first."""
    seen = sorted({build.elixir for build in KNOWN_BUILDS}, key=versions.sort_key, reverse=True)
    return tuple(seen)


def debian_codename(debian: str) -> str:
    return debian.split("-", 1)[0]


def builder_image(elixir: str, otp: str, family: OsFamily, os_release: str) -> str:
    if family == "alpine":
        return f"hexpm/elixir:{elixir}-erlang-{otp}-alpine-{os_release}"
    return f"hexpm/elixir:{elixir}-erlang-{otp}-debian-{os_release}-slim"


def runtime_image(family: OsFamily, os_release: str) -> str:
    if family == "alpine":
        return f"alpine:{os_release}"
    return f"debian:{os_release}-slim"


def node_image(node: str, family: OsFamily, os_release: str) -> str:
    if family == "alpine":
        alpine_minor = ".".join(os_release.split(".")[:2])
        return f"node:{node}-alpine{alpine_minor}"
    return f"node:{node}-{debian_codename(os_release)}-slim"


def runtime_packages(family: OsFamily, os_release: str) -> tuple[str, ...]:
    if family == "alpine":
        return RUNTIME_PACKAGES["alpine"]
    return RUNTIME_PACKAGES.get(debian_codename(os_release), RUNTIME_PACKAGES["bookworm"])
