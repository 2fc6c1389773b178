"""Official ``node`` image tags that were published, and where each one's OS comes from.

The table is ``data/node_tags.json``: the version-pinned tags of the official image, derived
from the image's own history (see ``data/README.md``). kubenative never writes a Node tag it
does not list. Lookups only; which version a project builds with is decided in ``plan``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from kubenative.catalog import distros, versions
from kubenative.catalog.releases import load


@cache
def _table() -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = load("node_tags.json")["versions"]
    return table


def newest_first() -> tuple[str, ...]:
    """Every published Node version, newest first."""
    return tuple(sorted(_table(), key=versions.sort_key, reverse=True))


def published(node: str) -> bool:
    return node in _table()


def debian_variants(node: str) -> dict[str, str]:
    """Debian release → the tag suffix of Node ``node``'s slim image on it."""
    found: dict[str, str] = _table().get(node, {}).get("debian", {})
    return found


def alpine_variants(node: str) -> tuple[str, ...]:
    return tuple(_table().get(node, {}).get("alpine", ()))


def variant(
    node: str, family: str, release: str, among: Callable[[str], bool] | None = None
) -> tuple[str, str] | None:
    """(tag suffix, OS release) of Node ``node`` nearest to the builder's OS release, or None.

    The frontend stage only makes static files, so its OS need not be the builder's: the
    builder's Debian release when that Node was published for it, else the nearest one that
    was, preferring releases whose packages are still on the mirrors (a native module's build
    tools are installed with apt) and, between two equally near, the newer one. ``among``
    keeps only the OS releases it accepts (those that package Python 2, for an old node-gyp)."""
    if family == "alpine":
        known = tuple(s for s in alpine_variants(node) if among is None or among(s))
        if not known:
            return None
        target = versions.sort_key(release)[:2]

        def alpine_distance(suffix: str) -> tuple[int, int, int]:
            have = versions.sort_key(suffix.removeprefix("alpine"))[:2]
            return abs(have[0] - target[0]), abs(have[1] - target[1]), -have[1]

        suffix = min(known, key=alpine_distance)
        return suffix, suffix.removeprefix("alpine")
    found = {c: s for c, s in debian_variants(node).items() if among is None or among(c)}
    if not found:
        return None
    order = distros.DEBIAN_RELEASES
    name = distros.codename(release)
    wanted = order.index(name) if name in order else len(order)

    def distance(codename: str) -> tuple[bool, int, int]:
        index = order.index(codename) if codename in order else -1
        return codename in distros.ARCHIVED, abs(index - wanted), -index

    codename = min(found, key=distance)
    return found[codename], codename


def image(node: str, family: str, release: str) -> str | None:
    """``node:<version>-<suffix>``, or None when the table lists no such tag."""
    found = variant(node, family, release)
    return f"node:{node}-{found[0]}" if found else None


def matching(pin: str, family: str) -> tuple[str, ...]:
    """The published versions a pin (``20``, ``v20.11``, ``20.11.1``) names, newest first."""
    wanted = versions.parse_version(pin.lstrip("v"))
    if wanted is None:
        return ()
    return tuple(
        candidate
        for candidate in newest_first()
        if (versions.parse_version(candidate) or ())[: len(wanted)] == wanted
        and variant(candidate, family, "") is not None
    )
