"""Base images derived from versions, from a built-in table (no network at generation time).

One OS choice (family + release) feeds the builder, Node and runtime images, so the builder and
the runtime can never drift apart: the builder's ERTS and NIFs are linked against exactly the
libraries that the runtime image ships.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kubenative import node_images
from kubenative.project import versions

OsFamily = Literal["debian", "alpine"]


@dataclass(frozen=True)
class KnownBuild:
    """One published ``hexpm/elixir`` tag known to exist."""

    elixir: str
    otp: str
    os: str  # "bookworm-20240513" (Debian codename-date) or "alpine-3.19.1"
    slim: bool = True  # Debian: the tag seen ends in -slim (older ones were seen only without)

    @property
    def family(self) -> OsFamily:
        return "alpine" if self.os.startswith("alpine-") else "debian"

    @property
    def release(self) -> str:
        """The OS release as the runtime image names it: "bookworm-20240513" or "3.19.1"."""
        return self.os.removeprefix("alpine-")


# Tags seen in public Dockerfiles (many written by `mix phx.gen.release --docker`, which copies
# the tag from the registry's answer), newest Elixir first. hexpm builds the newest patch of each
# Elixir/OTP line; tags are never rewritten once pushed, so a listed tag stays valid.
KNOWN_BUILDS: tuple[KnownBuild, ...] = (
    KnownBuild("1.19.5", "28.3.2", "trixie-20260610"),
    KnownBuild("1.19.5", "28.2", "bookworm-20260406"),
    KnownBuild("1.19.4", "28.3", "trixie-20251208"),
    KnownBuild("1.19.1", "27.3.4.3", "bookworm-20251103"),
    KnownBuild("1.18.4", "28.0.1", "bookworm-20250630"),
    KnownBuild("1.18.4", "28.0.1", "alpine-3.21.3"),
    KnownBuild("1.18.4", "27.3.4.2", "trixie-20251117"),
    KnownBuild("1.18.3", "27.3.3", "bookworm-20250428"),
    KnownBuild("1.18.3", "27.3.3", "alpine-3.21.3"),
    KnownBuild("1.18.2", "26.2.5.7", "bookworm-20250113"),
    KnownBuild("1.17.3", "27.2.1", "alpine-3.20.5"),
    KnownBuild("1.17.3", "27.2", "alpine-3.20.3"),
    KnownBuild("1.17.3", "27.1.2", "bullseye-20241202"),
    KnownBuild("1.17.2", "27.0.1", "bullseye-20240812"),
    KnownBuild("1.16.3", "26.2.5", "bookworm-20240612"),
    KnownBuild("1.16.3", "26.2.5", "alpine-3.19.1"),
    KnownBuild("1.16.2", "26.2.5", "bookworm-20240423"),
    KnownBuild("1.16.2", "26.2.5", "alpine-3.19.1"),
    KnownBuild("1.15.7", "26.1.2", "bookworm-20231009"),
    KnownBuild("1.15.7", "26.1.2", "alpine-3.18.4"),
    KnownBuild("1.15.7", "26.1.2", "bullseye-20231009"),
    KnownBuild("1.14.5", "25.3.2.4", "bullseye-20230612"),
    KnownBuild("1.14.4", "25.3", "bullseye-20230227"),
    KnownBuild("1.14.3", "25.2.1", "bullseye-20230109"),
    KnownBuild("1.14.0", "23.3.4.14", "alpine-3.14.5"),
    # Older lines, for pins and locks of their era (Elixir's compatibility table decides the OTP).
    KnownBuild("1.13.4", "25.0.4", "bullseye-20220801"),
    KnownBuild("1.13.4", "24.3.4.5", "alpine-3.15.6"),
    KnownBuild("1.13.4", "23.3.4.17", "buster-20220801", slim=False),
    KnownBuild("1.13.1", "24.2.1", "bullseye-20210902"),
    KnownBuild("1.13.0", "24.2", "bullseye-20210902"),
    KnownBuild("1.12.3", "24.1.2", "alpine-3.14.2"),
    KnownBuild("1.12.0", "24.0.1", "bullseye-20210902"),
    KnownBuild("1.11.4", "23.3.4", "alpine-3.13.3"),
    KnownBuild("1.11.4", "23.3", "buster-20210208", slim=False),
    KnownBuild("1.10.4", "23.3.4.14", "alpine-3.16.0"),
    KnownBuild("1.10.2", "22.2.8", "alpine-3.11.3"),
    KnownBuild("1.9.4", "22.3.4.26", "bullseye-20210902", slim=False),
    KnownBuild("1.9.4", "22.3.4.2", "buster-20200511", slim=False),
    KnownBuild("1.8.2", "21.3.8.21", "alpine-3.13.1"),
)


def default_build(family: OsFamily) -> KnownBuild:
    return next(build for build in KNOWN_BUILDS if build.family == family)


DEFAULT_BUILD = default_build("debian")

# Node.js: one release per LTS line, preferred over others when a lock or `engines` rules out the
# default (official images are tagged per exact version; every tag kubenative writes is in
# data/node_tags.json, see kubenative.node_images).
KNOWN_NODE: tuple[str, ...] = (
    "24.11.0",
    "22.12.0",
    "20.18.1",
    "18.20.5",
    "16.20.2",
    "14.21.3",
    "12.22.12",
    "10.24.1",
    "8.17.0",
)
DEFAULT_NODE = "22.12.0"

# Libraries an OTP release links against at run time, per OS release. ERTS needs libstdc++ (the
# JIT) and terminfo (libtinfo, not all of ncurses); `crypto` needs libcrypto; TLS clients need CA
# certificates. The C.UTF-8 locale is built into glibc >= 2.35, so Debian images need no
# `locales` package for UTF-8.
RUNTIME_PACKAGES: dict[str, tuple[str, ...]] = {
    "buster": ("ca-certificates", "libssl1.1", "libstdc++6", "libtinfo6"),
    "bullseye": ("ca-certificates", "libssl1.1", "libstdc++6", "libtinfo6"),
    "bookworm": ("ca-certificates", "libssl3", "libstdc++6", "libtinfo6"),
    "trixie": ("ca-certificates", "libssl3t64", "libstdc++6", "libtinfo6"),
    "alpine": ("ca-certificates", "libgcc", "libstdc++", "ncurses-libs", "openssl"),
}

BUILD_PACKAGES: dict[OsFamily, tuple[str, ...]] = {
    "debian": ("build-essential",),
    "alpine": ("build-base",),
}


def builds_for(
    elixir: str | None = None,
    otp: str | None = None,
    family: OsFamily | None = None,
    release: str | None = None,
) -> tuple[KnownBuild, ...]:
    """Known builds matching an exact Elixir and/or OTP version (an OTP major also matches), an
    OS family, and an OS release prefix ("bookworm" matches "bookworm-20240513")."""

    def otp_matches(build: KnownBuild) -> bool:
        if otp is None:
            return True
        if "." in otp:
            return build.otp == otp
        return versions.major(build.otp) == versions.major(otp)

    return tuple(
        build
        for build in KNOWN_BUILDS
        if (elixir is None or build.elixir == elixir)
        and otp_matches(build)
        and (family is None or build.family == family)
        and (release is None or build.release.startswith(release))
    )


def nearest_build(elixir: str, candidates: tuple[KnownBuild, ...]) -> KnownBuild:
    """The candidate whose Elixir version is closest to ``elixir``: its OS release is the
    likeliest to have been published alongside."""
    wanted = versions.sort_key(elixir)

    def distance(build: KnownBuild) -> tuple[int, ...]:
        have = versions.sort_key(build.elixir)
        return tuple(abs(a - b) for a, b in zip(have, wanted, strict=True))

    return min(candidates, key=distance)


def elixir_versions(family: OsFamily | None = None) -> tuple[str, ...]:
    """Every Elixir version in the table (for one OS family), newest first."""
    found = {build.elixir for build in KNOWN_BUILDS if family is None or build.family == family}
    return tuple(sorted(found, key=versions.sort_key, reverse=True))


def debian_codename(debian: str) -> str:
    return debian.split("-", 1)[0]


def builder_image(
    elixir: str, otp: str, family: OsFamily, os_release: str, slim: bool = True
) -> str:
    if family == "alpine":
        return f"hexpm/elixir:{elixir}-erlang-{otp}-alpine-{os_release}"
    return f"hexpm/elixir:{elixir}-erlang-{otp}-debian-{os_release}" + ("-slim" if slim else "")


def runtime_image(family: OsFamily, os_release: str) -> str:
    if family == "alpine":
        return f"alpine:{os_release}"
    return f"debian:{os_release}-slim"


def node_image(node: str, family: OsFamily, os_release: str) -> str:
    """A published tag of Node ``node`` on the builder's OS release, or the nearest release it
    was published for (the frontend stage only makes static files)."""
    return node_images.image(node, family, os_release)


def runtime_packages(family: OsFamily, os_release: str) -> tuple[str, ...]:
    if family == "alpine":
        return RUNTIME_PACKAGES["alpine"]
    return RUNTIME_PACKAGES.get(debian_codename(os_release), RUNTIME_PACKAGES["bookworm"])


# Debian release numbers, as `debian:12-slim` names them.
DEBIAN_NUMBERS = {
    "9": "stretch",
    "10": "buster",
    "11": "bullseye",
    "12": "bookworm",
    "13": "trixie",
}


@dataclass(frozen=True)
class ImageFacts:
    """What an image reference's tag says: OS family and release, Elixir, OTP (None: silent)."""

    family: OsFamily | None = None
    release: str | None = None  # "bookworm-20240612", "bookworm", "3.19.1", "3.19"
    elixir: str | None = None
    otp: str | None = None
    version: str | None = None  # the tag's leading version (`node:20-...` → "20")

    @property
    def codename(self) -> str | None:
        """The release without its date (``bookworm``), or the Alpine release."""
        if self.release is None:
            return None
        return debian_codename(self.release) if self.family == "debian" else self.release


def _is_version(word: str) -> bool:
    return versions.parse_version(word) is not None and word[:1].isdigit()


def image_facts(reference: str) -> ImageFacts:
    """Read the tag of an image reference as hexpm and the official images write it:
    ``hexpm/elixir:1.16.2-erlang-26.2.5-debian-bookworm-20240612-slim``, ``debian:bookworm-slim``,
    ``debian:12``, ``node:20-bookworm-slim``, ``node:20-alpine3.19``, ``alpine:3.19.1``,
    ``<mirror>/elixir:1.14-bookworm``, ``elixir:1.16.2-otp-26``."""
    ref = reference.split("@", 1)[0]
    last = ref.rsplit("/", 1)[-1]
    repo, _, tag = last.partition(":")
    words = tag.split("-") if tag else []
    family: OsFamily | None = None
    release: str | None = None
    elixir = otp = None
    version = words[0] if words and _is_version(words[0]) else None
    for index, word in enumerate(words):
        after = words[index + 1] if index + 1 < len(words) else ""
        if word in node_images.DEBIAN_RELEASES:
            family = "debian"
            release = f"{word}-{after}" if after.isdigit() and len(after) == 8 else word
        elif word == "alpine":
            family = "alpine"
            release = after if _is_version(after) else None
        elif word.startswith("alpine") and _is_version(word.removeprefix("alpine")):
            family, release = "alpine", word.removeprefix("alpine")
        elif word in ("erlang", "otp") and _is_version(after):
            otp = after
        elif word.startswith("otp") and word[3:].isdigit():  # a mirror's `1.14-otp25-bookworm`
            otp = word[3:]
    if repo == "debian" and version in DEBIAN_NUMBERS:
        family, release = "debian", DEBIAN_NUMBERS[version]
    elif repo == "alpine" and version:
        family, release = "alpine", version
    if "elixir" in repo:
        elixir = version
    elif "erlang" in repo:
        otp = version
    return ImageFacts(family, release, elixir, otp, version)
