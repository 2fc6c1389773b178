"""The Dockerfile as data: instructions, stages and the plan the renderers format.

Pure, like the rest of ``kubenative.plan``: no file system, no subprocess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kubenative.catalog.distros import OsFamily
from kubenative.ignore import IgnoreGroup
from kubenative.plan.versions import Versions
from kubenative.project.endpoints import Port, Socket
from kubenative.project.steps import tools_named

APP_DIR = "/app"


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction. ``args`` for RUN are commands joined with ``&&``; for
    ENTRYPOINT/CMD the exec-form words; for COPY the sources then the destination.
    ``script``: a RUN whose one arg is a multi-line shell script (written as a heredoc)."""

    op: str
    args: tuple[str, ...]
    flags: tuple[str, ...] = ()
    comment: str = ""
    script: bool = False
    tools: tuple[str, ...] = ()  # what a RUN needs besides a shell: "mix", "node"


@dataclass(frozen=True)
class Stage:
    name: str
    base: str  # an ARG reference such as ${BUILDER_IMAGE}, or an earlier stage's name
    comment: str
    steps: tuple[Instruction, ...]
    platform: str | None = None  # FROM --platform (``$BUILDPLATFORM``); None: the target's


@dataclass(frozen=True)
class Plan:
    name: str
    os_family: OsFamily
    os_release: str
    elixir: str
    otp: str
    node: str | None
    images: tuple[tuple[str, str, str], ...]  # (ARG name, image, what it is)
    release: str
    release_tool: str
    stages: tuple[Stage, ...]
    ignore: tuple[IgnoreGroup, ...]
    port: int
    user_id: int
    dockerfile: str = "Dockerfile"  # where it is written, relative to the project
    # Every HTTP port the image listens on, each with its number and container port name
    # (kubenative.plan.runtime.listening_ports); `port` is the first one's. Empty: nothing
    # listens.
    ports: tuple[Port, ...] = ()
    # Project files mounted as build secrets: (id, file relative to the context, required).
    config_secrets: tuple[tuple[str, str, bool], ...] = ()
    # The non-HTTP listeners the image exposes (only when nothing serves HTTP; see
    # kubenative.plan.runtime.exposed_sockets), never PORT.
    sockets: tuple[Socket, ...] = ()
    platforms: tuple[str, ...] = ()  # `init --platform`: what `kubenative build` builds
    warnings: tuple[str, ...] = field(default=(), compare=False)
    versions: Versions | None = None  # the solved choice and its reasons (plan/versions.py)

    @property
    def dockerignore(self) -> str:
        """The ignore file Docker reads for this Dockerfile: BuildKit takes
        ``<Dockerfile path>.dockerignore`` over the context's ``.dockerignore``."""
        if self.dockerfile == "Dockerfile":
            return ".dockerignore"
        return f"{self.dockerfile}.dockerignore"

    @property
    def stage_names(self) -> tuple[str, ...]:
        return tuple(stage.name for stage in self.stages)


# The tools each base image brings: a stage built on another stage has that stage's tools.
BASE_TOOLS: dict[str, frozenset[str]] = {
    "${BUILDER_IMAGE}": frozenset({"mix"}),
    "${NODE_IMAGE}": frozenset({"node"}),
}


def check_tools(stages: Sequence[Stage]) -> None:
    """Every RUN's tools are in its stage: those the step carries (a package's program that a
    package.json script runs, placed by ``project/steps.py``) and those its programs name.
    A step in a stage without its tool is a bug in kubenative, never the user's to fix."""
    have: dict[str, frozenset[str]] = {}
    for stage in stages:
        tools = have.get(stage.base, BASE_TOOLS.get(stage.base, frozenset()))
        have[stage.name] = tools
        for step in stage.steps:
            if step.op != "RUN":
                continue
            needed = set(step.tools).union(*(tools_named(arg) for arg in step.args))
            missing = needed - tools
            if missing:
                raise AssertionError(
                    f"stage {stage.name} ({stage.base}) has no {', '.join(sorted(missing))} "
                    f"for `{' && '.join(step.args)[:80]}`"
                )


def grouped_copies(
    paths: tuple[str, ...], flags: tuple[str, ...] = (), comment: str = ""
) -> list[Instruction]:
    """One COPY per destination folder, so each file lands where it sits in the project; a
    folder (written with a trailing "/") is copied whole, to the same place."""
    folders: dict[str, list[str]] = {}
    whole: list[str] = []
    for path in paths:
        if path.endswith("/"):
            whole.append(path.rstrip("/"))
            continue
        folder = path.rsplit("/", 1)[0] + "/" if "/" in path else "./"
        folders.setdefault(folder, []).append(path)
    steps = [
        Instruction("COPY", (*files, folder), flags) for folder, files in sorted(folders.items())
    ]
    steps.extend(Instruction("COPY", (path, path), flags) for path in sorted(whole))
    if steps and comment:
        steps[0] = Instruction("COPY", steps[0].args, flags, comment=comment)
    return steps
