"""Which ``hexpm/elixir`` images exist, from the rules hexpm builds them by.

hexpm's build service (hexpm/bob, ``lib/bob/job/docker_checker.ex``) watches three things:
Elixir releases, Erlang/OTP releases and the base images' tags. Whenever one is new it builds
every expected tag that is missing, and pushed tags are never rewritten (its README). What is
"expected" changed over time; the two rules kubenative relies on are (``data/hexpm_rules.json``):

- **Newest patches** (since 2026-06-16, commit 50272f9): the newest Elixir patch of each minor,
  for each OTP major its GitHub release ships a precompiled ``elixir-otp-<major>.zip`` for,
  crossed with the newest OTP patch of each major.minor line, on the newest tag of every base
  image in the matrix (Debian bullseye, bookworm, trixie; Alpine 3.21 to 3.24). A new base tag
  rebuilds the whole set, so the pairs that are newest today exist on today's newest base tag.
- **All patches** (2025-10-09 to 2026-06-16, commits a092090/3b6e51f to 50272f9): every Elixir
  build of ``builds.txt`` (Elixir 1.10 and later, for the OTP majors bob compiled each for)
  crossed with every OTP release, on each base tag of that time. kubenative takes from it only
  the newest patches of that time, on the last base tag whose whole life fell in the period:
  that is where Elixir 1.10 to 1.13 (no ``elixir-otp-*.zip`` assets) were last built.

Per-OS limits (``build_erlang_ref?``): no OTP below 20 on Debian; OpenSSL 3 releases (bookworm,
trixie, Alpine 3.17+) only OTP 24.2 and later; Alpine 3.23+ only OTP 26+; no Elixir on OTP
17-19; no Elixir below 1.10 since 2022-10-24 (``skip_elixir?``, b70aba5; before that every
Elixir was built, on the base tags of 2020-2022, which kubenative leaves to the official images:
see ``catalog/official.py``). Docker Hub prunes images nobody pulls (the reason bob stopped
rebuilding old ones), which is one more reason to name the newest patches: they are the ones
people pull.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from kubenative.catalog import distros, releases, versions
from kubenative.catalog.builds import Build, hexpm_image
from kubenative.catalog.distros import OsFamily

NEWEST = "newest patches, rebuilt on every new base image tag since 2026-06-16"
ALL_PATCHES = "built for every patch on the base image tags of 2025-10-09 to 2026-06-16"


@cache
def rules() -> dict[str, Any]:
    data: dict[str, Any] = releases.load("hexpm_rules.json")
    return data


def os_allows(family: OsFamily, release: str, otp: str) -> bool:
    """bob's ``build_erlang_ref?``: whether an OTP is built on a base image at all."""
    v = versions.sort_key(otp)
    if v < versions.sort_key("20") or not _elixir_on(otp):
        return False
    if family == "debian":
        if distros.codename(release) in ("bookworm", "trixie"):
            return v >= versions.sort_key("24.2")
        return True
    if not _alpine_otp(otp):
        return False
    alpine = versions.sort_key(release)
    if alpine >= versions.sort_key("3.23"):
        return v >= versions.sort_key("26")
    if alpine >= versions.sort_key("3.17"):
        return v >= versions.sort_key("24.2")
    if alpine >= versions.sort_key("3.14"):
        return v >= versions.sort_key("23.2.2")
    return True


def _elixir_on(otp: str) -> bool:
    """``skip_elixir_for_erlang?``: no Elixir images on OTP 17, 18 and 19."""
    return (versions.major(otp) or 0) >= 20


def _alpine_otp(otp: str) -> bool:
    """``build_alpine?/1``: OTP 21 (but not 21.3 to 21.3.8.19), 22.3 and later."""
    v = versions.sort_key(otp)
    key = versions.sort_key
    if key("21") <= v < key("22"):
        return not key("21.3") <= v <= key("21.3.8.19")
    return v >= key("22.3")


def builds_txt_majors(elixir: str) -> tuple[int, ...]:
    """The OTP majors bob compiled an Elixir release for (``elixir_to_otp``, builds.txt)."""
    if versions.sort_key(elixir) < versions.sort_key(rules()["min_elixir"]):
        return ()
    for since, majors in rules()["builds_txt"]:
        if versions.sort_key(elixir) >= versions.sort_key(since):
            return tuple(majors)
    return ()


def _bases(family: OsFamily, names: list[str], on: str | None) -> list[str]:
    """The newest tag of each base image in the matrix (listed before ``on``)."""
    found = []
    for name in names:
        tag = (
            distros.debian_tag_current(name, on)
            if family == "debian"
            else distros.alpine_current(name, on)
        )
        if tag is not None:
            found.append(tag)
    return found


def _lifetimes(family: OsFamily, name: str) -> list[tuple[str, str, str]]:
    """(tag, first listed, the next tag's first listing or "9999") of a base image's tags."""
    if family == "debian":
        dated = [(f"{name}-{s}", listed) for s, listed in distros.debian_dates(name)]
    else:
        dated = sorted(
            ((v, listed) for v, listed in distros.alpine_versions() if v.startswith(name + ".")),
            key=lambda item: versions.sort_key(item[0]),
        )
    return [
        (tag, listed, dated[i + 1][1] if i + 1 < len(dated) else "9999")
        for i, (tag, listed) in enumerate(dated)
    ]


def _settled_bases(family: OsFamily, names: list[str], start: str, end: str) -> list[str]:
    """Per base image, the last tag whose whole life (first listed to the next tag) fell in
    ``[start, end)``: bob built all of that period's expected tags on it."""
    found = []
    for name in names:
        settled = [
            tag for tag, listed, gone in _lifetimes(family, name) if start <= listed and gone <= end
        ]
        if settled:
            found.append(settled[-1])
    return found


def _newest_pairs(before: str | None, assets: bool) -> list[tuple[str, str]]:
    """(Elixir, OTP) pairs of newest patches: per Elixir minor and OTP major, the newest
    Elixir release built for that major (from its release assets, or from builds.txt), with
    the newest OTP patch of each line of that major."""
    per_major: dict[tuple[str, int], str] = {}
    for elixir in releases.elixir_versions():
        if before is not None and (releases.elixir_date(elixir) or "9999") >= before:
            continue
        if versions.sort_key(elixir) < versions.sort_key(rules()["min_elixir"]):
            continue
        majors = releases.elixir_assets(elixir) if assets else builds_txt_majors(elixir)
        for major in majors:
            key = (releases.minor(elixir), major)
            if key not in per_major or versions.sort_key(elixir) > versions.sort_key(
                per_major[key]
            ):
                per_major[key] = elixir
    otps = releases.newest_otp_patches(before)
    return [
        (elixir, otp)
        for (_, major), elixir in per_major.items()
        for otp in otps
        if versions.major(otp) == major
    ]


@cache
def builds(family: OsFamily) -> tuple[Build, ...]:
    """Every hexpm/elixir image the two rules say exists on ``family``, newest rule first."""
    found: dict[tuple[str, str, str], Build] = {}
    names = list(rules()[family])
    for elixir, otp in _newest_pairs(None, assets=True):
        for base in _bases(family, names, None):
            _add(found, elixir, otp, family, base, NEWEST)
    start, end = rules()["all_patches"]
    before_names = list(rules().get(f"{family}_before_latest_patch", names))
    for base in _settled_bases(family, before_names, start, end):
        # what was out when the base tag appeared: bob built all of it on that tag
        for elixir, otp in _newest_pairs(_listed(family, base), assets=False):
            _add(found, elixir, otp, family, base, ALL_PATCHES)
    return tuple(found.values())


def _listed(family: OsFamily, base: str) -> str:
    listed = distros.debian_tag_listed(base) if family == "debian" else distros.alpine_listed(base)
    return listed or "0000"


def _add(
    found: dict[tuple[str, str, str], Build],
    elixir: str,
    otp: str,
    family: OsFamily,
    base: str,
    rule: str,
) -> None:
    if not os_allows(family, base, otp):
        return
    key = (elixir, otp, distros.codename(base) if family == "debian" else base.rsplit(".", 1)[0])
    if key in found:
        return  # the newest-patches rule's (newer) base tag is kept
    libssl = distros.LIBSSL.get(distros.codename(base)) if family == "debian" else None
    found[key] = Build(
        elixir, otp, family, base, hexpm_image(elixir, otp, family, base), "hexpm", rule, libssl
    )
