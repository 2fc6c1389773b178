"""Debian and Alpine releases as their official images tag them, and what each one ships.

Data: ``data/debian_tags.json`` and ``data/alpine_tags.json`` (every dated Debian tag and every
Alpine patch tag, with the day it was first listed; see ``data/README.md``).
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from kubenative.catalog import versions
from kubenative.catalog.releases import load

OsFamily = Literal["debian", "alpine"]

# Debian releases in order, oldest first.
DEBIAN_RELEASES = ("jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "forky")

# Debian release numbers, as `debian:12-slim` names them.
DEBIAN_NUMBERS = {
    "8": "jessie",
    "9": "stretch",
    "10": "buster",
    "11": "bullseye",
    "12": "bookworm",
    "13": "trixie",
}

# Releases whose packages the Debian mirrors no longer serve: they moved to Debian's archive of
# end-of-life releases, so `apt-get update` in an image of them fails against the sources the
# image ships (checked against the mirror this machine's apt configuration names: its
# dists/<release> indexes answer 404 for these three and 200 for bullseye and newer).
ARCHIVED = frozenset({"jessie", "stretch", "buster"})

# The OpenSSL package of each release that Erlang/OTP's crypto links against when built there
# (the release's libssl-dev), as the erlang images' own Dockerfiles install it.
LIBSSL = {
    "jessie": "libssl1.0.0",
    "stretch": "libssl1.1",
    "buster": "libssl1.1",
    "bullseye": "libssl1.1",
    "bookworm": "libssl3",
    "trixie": "libssl3t64",
    "forky": "libssl3t64",
}

# ncurses' terminfo library, which ERTS links: ABI 5 until stretch, ABI 6 from buster on.
LIBTINFO = {"jessie": "libtinfo5", "stretch": "libtinfo5"}

# Python 2, which node-gyp before 5.0.5 runs (its configure checks `python2`, then `python`, and
# accepts only ">=2.5.0 <3.0.0" (3.x/4.x) or ">=2.6.0 <3.0.0" (5.0.0-5.0.4)): the package of
# each release that still ships it. Debian's `python` package gives /usr/bin/python and
# /usr/bin/python2 until buster; bullseye renamed it `python2` (no `python` package: checked
# with apt-cache in a bullseye image); bookworm and later ship no Python 2 at all. Alpine's
# `python2` was last in 3.15.
PYTHON2 = {"jessie": "python", "stretch": "python", "buster": "python", "bullseye": "python2"}
ALPINE_PYTHON2_LAST = (3, 15)


def python2_package(family: OsFamily, release: str) -> str | None:
    """The package that installs Python 2 on ``release`` (``buster``, ``3.15.4``), or None."""
    if family == "alpine":
        minor = versions.sort_key(release.removeprefix("alpine"))[:2]
        return "python2" if minor and minor <= ALPINE_PYTHON2_LAST else None
    return PYTHON2.get(codename(release))


@cache
def _debian() -> dict[str, list[list[object]]]:
    tags: dict[str, list[list[object]]] = load("debian_tags.json")["tags"]
    return tags


@cache
def _alpine() -> list[list[str]]:
    tags: list[list[str]] = load("alpine_tags.json")["tags"]
    return tags


def codename(release: str) -> str:
    """``bookworm-20240513`` → ``bookworm``."""
    return release.split("-", 1)[0]


@cache
def debian_dates(name: str) -> tuple[tuple[str, str], ...]:
    """(date suffix, first listed) of every dated tag of a Debian release, oldest first."""
    return tuple((str(e[0]), str(e[1])) for e in _debian().get(name, []) if e[2])


def debian_tag_current(name: str, on: str | None = None) -> str | None:
    """``<name>-<date>``: the newest dated tag of a Debian release listed before the day
    ``on`` (or at all)."""
    found = [s for s, listed in debian_dates(name) if on is None or listed < on]
    return f"{name}-{found[-1]}" if found else None


def debian_tag_listed(release: str) -> str | None:
    """The day a dated Debian tag (``bookworm-20240513``) was first listed, or None."""
    name, _, suffix = release.partition("-")
    return next((listed for s, listed in debian_dates(name) if s == suffix), None)


def debian_successor_listed(release: str) -> str | None:
    """The day the next dated tag of the same release was first listed (None: still newest)."""
    name, _, suffix = release.partition("-")
    dates = debian_dates(name)
    for index, (s, _) in enumerate(dates):
        if s == suffix and index + 1 < len(dates):
            return dates[index + 1][1]
    return None


def alpine_versions() -> tuple[tuple[str, str], ...]:
    """(3.x.y, first listed) of every Alpine patch tag."""
    return tuple((v, listed) for v, listed in _alpine())


def alpine_current(minor: str, on: str | None = None) -> str | None:
    """The newest patch of an Alpine minor (``3.22`` → ``3.22.5``) listed before ``on``."""
    found = [
        v
        for v, listed in alpine_versions()
        if v.startswith(minor + ".") and (on is None or listed < on)
    ]
    return max(found, key=versions.sort_key) if found else None


def alpine_listed(release: str) -> str | None:
    return next((listed for v, listed in alpine_versions() if v == release), None)


def archived(family: OsFamily, release: str) -> bool:
    return family == "debian" and codename(release) in ARCHIVED


def newer_first(name: str) -> int:
    """A sort key putting newer Debian releases first (unknown names last)."""
    return -DEBIAN_RELEASES.index(name) if name in DEBIAN_RELEASES else 1


# Libraries an OTP release links against at run time. ERTS needs libstdc++ (the JIT) and
# terminfo (libtinfo, not all of ncurses); `crypto` needs libcrypto; TLS clients need CA
# certificates. The C.UTF-8 locale is built into glibc >= 2.35, so Debian images need no
# `locales` package for UTF-8.
ALPINE_RUNTIME = ("ca-certificates", "libgcc", "libstdc++", "ncurses-libs", "openssl")
BUILD_PACKAGES: dict[OsFamily, tuple[str, ...]] = {
    "debian": ("build-essential",),
    "alpine": ("build-base",),
}


def runtime_packages(family: OsFamily, release: str, libssl: str | None = None) -> tuple[str, ...]:
    """The packages a release's runtime installs: CA certificates, the OpenSSL that OTP's crypto
    was built against (``libssl``, else the release's own), libstdc++ and terminfo."""
    if family == "alpine":
        return ALPINE_RUNTIME
    name = codename(release)
    ssl = libssl or LIBSSL.get(name, LIBSSL["bookworm"])
    tinfo = LIBTINFO.get(name, "libtinfo6")
    return tuple(sorted(("ca-certificates", ssl, "libstdc++6", tinfo)))


def runtime_image(family: OsFamily, release: str) -> str:
    """The bare OS image of a release: ``debian:bookworm-20240513-slim``, ``alpine:3.19.1``."""
    if family == "alpine":
        return f"alpine:{release}"
    return f"debian:{release}-slim"
