"""The Dockerfile as data: instructions, stages and the plan the renderers format.

Pure, like the rest of ``kubenative.plan``: no file system, no subprocess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kubenative.ignore import IgnoreGroup
from kubenative.images import OsFamily
from kubenative.project.endpoints import Port, Socket

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


@dataclass(frozen=True)
class Stage:
    name: str
    base: str  # an ARG reference such as ${BUILDER_IMAGE}, or an earlier stage's name
    comment: str
    steps: tuple[Instruction, ...]


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
    warnings: tuple[str, ...] = field(default=(), compare=False)

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
