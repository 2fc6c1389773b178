"""The OS inside the images: installing packages, the release's user, the revision label."""

from __future__ import annotations

from dataclasses import replace

from kubenative.catalog.distros import OsFamily
from kubenative.plan.model import APP_DIR, Instruction, Stage


def install(family: OsFamily, packages: list[str]) -> tuple[str, ...]:
    """The commands of one RUN that installs ``packages`` and leaves no package cache behind."""
    unique = sorted(set(packages))
    if family == "alpine":
        return (f"apk add --no-cache {' '.join(unique)}",)
    # The official Debian images carry an apt setting (docker-clean) that deletes downloaded
    # .deb files and the package caches after each install; a mirror's or a company's base image
    # may not, and then the install left 75-78 MB in /var/cache/apt. Clean up whatever the base:
    # `apt-get clean` drops the .deb files (and, on bookworm's apt, pkgcache.bin and
    # srcpkgcache.bin); the rm makes sure of those two whatever apt's version.
    # DEBIAN_FRONTEND for the install command only (not an ENV that the image would keep):
    # without a terminal, debconf otherwise tries three frontends per package and logs each
    # failure.
    return (
        "apt-get update -y",
        "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "
        + " ".join(unique),
        "apt-get clean",
        "rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin",
    )


# The build argument naming Debian's archive of end-of-life releases (its URL, without the
# /debian suffix), for stages on a release whose packages left the mirrors.
ARCHIVE_ARG = "DEBIAN_ARCHIVE"

# Rewrites the image's apt sources to the archive: the security suite (`<release>/updates`) to
# its debian-security tree, every other suite to its debian tree, and drops the `-updates`
# suites (folded into the release when it was archived).
_ARCHIVE_SOURCES = (
    "sed -i -e '/-updates/d'"
    " -e '\\|/updates|!s|^deb [^ ]* |deb '\"$DEBIAN_ARCHIVE\"'/debian |'"
    " -e 's|^deb [^ ]* \\([a-z]*/updates\\)|deb '\"$DEBIAN_ARCHIVE\"'/debian-security \\1|'"
    " /etc/apt/sources.list"
)


def from_archive(stage: Stage, codename: str) -> Stage:
    """A stage whose Debian release left the mirrors (``catalog.distros.ARCHIVED``): each apt
    install reads Debian's archive instead, from a build argument (kubenative names no mirror
    host), and accepts the archive's expired Release files. Without the argument the step stops
    with a message saying what to pass."""
    steps: list[Instruction] = []
    for step in stage.steps:
        if step.op == "RUN" and step.args[:1] == ("apt-get update -y",):
            steps.append(
                Instruction(
                    "ARG",
                    (ARCHIVE_ARG,),
                    comment=f"Debian {codename} is archived: its packages are only on Debian's "
                    "archive of end-of-life releases (pass its URL as this build argument)",
                )
            )
            check = (
                f': "${{{ARCHIVE_ARG}:?Debian {codename} is archived: pass --build-arg '
                f'{ARCHIVE_ARG}=<URL of the Debian archive>}}"'
            )
            update = "apt-get -o Acquire::Check-Valid-Until=false update -y"
            step = replace(step, args=(check, _ARCHIVE_SOURCES, update, *step.args[1:]))
        steps.append(step)
    return replace(stage, steps=tuple(steps))


def create_user(family: OsFamily, user_id: int) -> tuple[str, ...]:
    """The commands that create the release's user and group, ``app``, with ``user_id``."""
    if family == "alpine":
        return (
            f"addgroup -S -g {user_id} app",
            f"adduser -S -D -u {user_id} -G app -h {APP_DIR} -s /bin/sh app",
        )
    return _debian_user(user_id)


# Debian's login.defs ranges: system accounts up to 999, regular ones 1000-60000.
SYS_ID_MAX = 999


ID_MAX = 60000


def _debian_user(user_id: int) -> tuple[str, str]:
    """groupadd/useradd for the release's user, in the account class whose id range holds
    ``user_id``: shadow's useradd warns on every build when the id is outside it (`--system
    --uid 1000` prints "uid 1000 is greater than SYS_UID_MAX 999"). Above the regular range the
    range is widened for this one call. ``--no-log-init``: a regular account otherwise gets
    lastlog/faillog records, sparse files that grow with the uid."""
    if user_id <= SYS_ID_MAX:
        return (
            f"groupadd --system --gid {user_id} app",
            f"useradd --system --uid {user_id} --gid {user_id} --home-dir {APP_DIR} "
            "--no-create-home --shell /bin/sh app",
        )
    widen_group = f" -K GID_MAX={user_id}" if user_id > ID_MAX else ""
    widen_user = f" -K UID_MAX={user_id}" if user_id > ID_MAX else ""
    return (
        f"groupadd{widen_group} --gid {user_id} app",
        f"useradd{widen_user} --no-log-init --uid {user_id} --gid {user_id} "
        f"--home-dir {APP_DIR} --no-create-home --shell /bin/sh app",
    )


def revision() -> tuple[Instruction, ...]:
    """The commit as a label, last: an ARG busts the cache where it is first used, so the git
    sha (``kubenative build`` passes it) changes only this final metadata step."""
    return (
        Instruction("ARG", ("GIT_SHA",), comment="The commit it was built from, last of all"),
        Instruction("LABEL", ("org.opencontainers.image.revision=$GIT_SHA",)),
    )
