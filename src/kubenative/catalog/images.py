"""Image references as the publishers tag them: what a tag says, and whether it was published.

Tags read: ``hexpm/elixir:1.16.2-erlang-26.2.5-debian-bookworm-20240612-slim``,
``elixir:1.7.3-slim``, ``elixir:1.16.2-otp-26``, ``debian:bookworm-slim``, ``debian:12``,
``node:20-bookworm-slim``, ``node:20-alpine3.19``, ``alpine:3.19.1`` and a mirror's
``<registry>/elixir:1.14-otp25-bookworm``.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubenative.catalog import distros, hexpm, node, official, versions
from kubenative.catalog.builds import Build
from kubenative.catalog.distros import OsFamily


@dataclass(frozen=True)
class ImageFacts:
    """What an image reference's tag says: OS family and release, Elixir, OTP (None: silent)."""

    family: OsFamily | None = None
    release: str | None = None  # "bookworm-20240612", "bookworm", "3.19.1", "3.19"
    elixir: str | None = None
    otp: str | None = None
    version: str | None = None  # the tag's leading version (`node:20-...` → "20")
    slim: bool = False  # the tag ends in -slim

    @property
    def codename(self) -> str | None:
        """The release without its date (``bookworm``), or the Alpine release."""
        if self.release is None:
            return None
        return distros.codename(self.release) if self.family == "debian" else self.release


def _is_version(word: str) -> bool:
    return versions.parse_version(word) is not None and word[:1].isdigit()


def facts(reference: str) -> ImageFacts:
    """Read the tag of an image reference (see the module's examples)."""
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
        if word in distros.DEBIAN_RELEASES:
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
    if repo == "debian" and version in distros.DEBIAN_NUMBERS:
        family, release = "debian", distros.DEBIAN_NUMBERS[version]
    elif repo == "alpine" and version:
        family, release = "alpine", version
    if "elixir" in repo:
        elixir = version
    elif "erlang" in repo:
        otp = version
    return ImageFacts(family, release, elixir, otp, version, bool(words) and words[-1] == "slim")


def builds(family: OsFamily) -> tuple[Build, ...]:
    """Every builder image kubenative knows to exist on ``family``: hexpm's, then the official
    ``elixir`` images (Debian only)."""
    found = hexpm.builds(family)
    return found + official.builds() if family == "debian" else found


def stated_build(reference: str) -> Build | None:
    """A builder image a project names in full (Elixir, OTP and a dated OS release in its tag):
    evidence that it exists, whether or not the catalog lists it."""
    found = facts(reference)
    if not (found.elixir and found.otp and found.family and found.release):
        return None
    dated = found.family == "alpine" and found.release.count(".") == 2
    dated = dated or (found.family == "debian" and "-" in found.release)
    if not dated or versions.parse_version(found.elixir) is None:
        return None
    if len(versions.parse_version(found.elixir) or ()) < 3:
        return None  # `elixir:1.14-otp25-bookworm` names a line, not a build
    return Build(
        found.elixir,
        found.otp,
        found.family,
        found.release,
        reference.split("@", 1)[0],
        "stated",
        "named by the project",
    )


def published(reference: str) -> bool:
    """Whether the catalog lists an image reference as published (a digest is ignored)."""
    ref = reference.split("@", 1)[0]
    repo, _, tag = ref.rsplit("/", 1)[-1].partition(":")
    if ref.startswith("hexpm/elixir:"):
        return any(b.image == ref for b in (*builds("debian"), *builds("alpine")))
    if repo == "elixir" and "/" not in ref:
        return any(b.image == ref for b in official.builds())
    if ref.startswith("debian:"):
        name, _, rest = tag.partition("-")
        if rest == "slim":
            return bool(distros.debian_dates(name))
        date = rest.removesuffix("-slim")
        return any(s == date for s, _ in distros.debian_dates(name))
    if ref.startswith("alpine:"):
        return distros.alpine_listed(tag) is not None
    if ref.startswith("node:"):
        version, _, suffix = tag.partition("-")
        return suffix in node.debian_variants(version).values() or suffix in (
            node.alpine_variants(version)
        )
    return False
