"""Official `node` image tags that were published, and the one to build a project's assets with.

The table is ``data/node_tags.json``: the version-pinned tags of the official image, derived from
the image's own history (see ``data/README.md``). kubenative never writes a Node tag it does not
list. The frontend stage only produces static files, so its OS need not be the builder's: the
builder's Debian release is used when that Node version was published for it, else the nearest
release that was (Alpine likewise, by minor version).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from kubenative.errors import UserError
from kubenative.project import versions

# Debian releases in order, to find the nearest one a Node version was published for.
DEBIAN_RELEASES = ("jessie", "stretch", "buster", "bullseye", "bookworm", "trixie")


@cache
def published() -> dict[str, tuple[str, ...]]:
    """Node version → the tag suffixes published for it (``bookworm-slim``, ``alpine3.20``)."""
    text = resources.files("kubenative").joinpath("data/node_tags.json").read_text("utf-8")
    data = json.loads(text)
    return {version: tuple(variants) for version, variants in data["versions"].items()}


def newest_first() -> tuple[str, ...]:
    return tuple(sorted(published(), key=versions.sort_key, reverse=True))


def _debian_variant(variants: tuple[str, ...], codename: str) -> str | None:
    slim = [v.removesuffix("-slim") for v in variants if v.endswith("-slim") and v != "slim"]
    known = [name for name in slim if name in DEBIAN_RELEASES]
    if not known:
        return None
    known_release = codename in DEBIAN_RELEASES
    wanted = DEBIAN_RELEASES.index(codename) if known_release else len(DEBIAN_RELEASES)

    # Nearest release first; between two equally near, the newer one (still patched).
    def distance(name: str) -> tuple[int, int]:
        index = DEBIAN_RELEASES.index(name)
        return abs(index - wanted), -index

    return f"{min(known, key=distance)}-slim"


def _alpine_variant(variants: tuple[str, ...], release: str) -> str | None:
    known = [v for v in variants if v.startswith("alpine") and v != "alpine"]
    if not known:
        return None
    wanted = versions.sort_key(release)[:2]

    def distance(variant: str) -> tuple[int, int, int]:
        have = versions.sort_key(variant.removeprefix("alpine"))[:2]
        return abs(have[0] - wanted[0]), abs(have[1] - wanted[1]), -have[1]

    return min(known, key=distance)


def variant(node: str, family: str, os_release: str) -> str | None:
    """The published tag suffix of Node ``node`` nearest to the builder's OS, or None."""
    variants = published().get(node)
    if variants is None:
        return None
    if family == "alpine":
        return _alpine_variant(variants, os_release)
    return _debian_variant(variants, os_release.split("-", 1)[0])


def image(node: str, family: str, os_release: str) -> str:
    """``node:<version>-<variant>``; a version the table does not list is an error."""
    suffix = variant(node, family, os_release)
    if suffix is None:
        raise UserError(
            f"Node {node}: no official node image tag for it on {family} is known to kubenative "
            "(the table ends 2026-08-19); pin a published version or pass --node-image"
        )
    return f"node:{node}-{suffix}"


def matching(pin: str, family: str) -> str | None:
    """The newest published version that a pin (``20``, ``v20.11``, ``20.11.1``) names."""
    wanted = versions.parse_version(pin)
    if wanted is None:
        return None
    for candidate in newest_first():
        have = versions.parse_version(candidate) or ()
        if have[: len(wanted)] == wanted and variant(candidate, family, "") is not None:
            return candidate
    return None
