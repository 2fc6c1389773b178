"""Multi-platform builds: what the engine can do with them, and the report per platform.

One ``docker buildx build --platform linux/amd64,linux/arm64`` builds every target's stages
(a target of another architecture under QEMU) and, pushed, makes one image index (a "manifest
list") under each tag. The stage that runs on ``$BUILDPLATFORM`` (the frontend) runs once, and
BuildKit names it with the build machine's platform.

Loading such an image into the engine (no ``--push``) needs the containerd image store, which
keeps every platform of an index; the classic store keeps one image per tag and BuildKit's docker
exporter refuses a manifest list there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kubenative.docker.progress import StageReport
from kubenative.docker.registry import Manifest
from kubenative.errors import UserError


@dataclass
class PlatformReport:
    platform: str
    target: bool  # one of the platforms asked for (else: the build machine's, for frontend)
    stages: list[StageReport] = field(default_factory=list)
    digest: str | None = None  # its image in the pushed index
    size: int | None = None  # its layers, compressed, in the registry

    def to_json(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "target": self.target,
            "digest": self.digest,
            "size": self.size,
            "stages": [stage_json(s) for s in self.stages],
        }


def stage_json(stage: StageReport) -> dict[str, Any]:
    return {
        "name": stage.name,
        "seconds": stage.seconds,
        "cached": stage.cached,
        "pulled": stage.pulled,
        "ran": stage.ran,
        "total": stage.total,
    }


def unloadable(platforms: tuple[str, ...], containerd_store: bool) -> UserError | None:
    """Several platforms into an engine whose image store cannot hold them: what to do."""
    if len(platforms) < 2 or containerd_store:
        return None
    return UserError(
        f"--platform {','.join(platforms)}: this engine's image store keeps one platform per "
        "image, so a multi-platform build cannot be loaded into it; push it (--push), build "
        f"one platform to load it (--platform {platforms[-1]}), or enable the containerd image "
        'store ({"features": {"containerd-snapshotter": true}} in /etc/docker/daemon.json)'
    )


def per_platform(
    targets: tuple[str, ...],
    found: dict[str, dict[str, StageReport]],
    order: tuple[str, ...],
) -> list[PlatformReport]:
    """The stages BuildKit ran for each platform it named, targets first in the order given;
    a one-platform build names none, and its stages are that platform's."""
    if len(targets) == 1 and set(found) <= {"", targets[0]}:
        merged: dict[str, StageReport] = {}
        for stages in found.values():
            merged.update(stages)
        found = {targets[0]: merged}
    named = [*targets, *(p for p in found if p and p not in targets)]
    return [
        PlatformReport(
            platform,
            platform in targets,
            [found[platform][n] for n in order if n in found.get(platform, {})],
        )
        for platform in named
    ]


Images = Callable[[str], tuple[Manifest, list[tuple[str, Manifest]]]]


def add_registry(reports: list[PlatformReport], tag: str, images: Images) -> Manifest:
    """Each target's digest and size from the index pushed as ``tag``; the index itself."""
    index, found = images(tag)
    by_platform = dict(found)
    for report in reports:
        image = by_platform.get(report.platform) or by_platform.get(_canonical(report.platform))
        if image is not None:
            report.digest, report.size = image.digest, image.size
    return index


def _canonical(platform: str) -> str:
    """``linux/arm64`` is ``linux/arm64/v8`` in some indexes."""
    return platform + "/v8" if platform.endswith("/arm64") else platform


def hints(platforms: tuple[str, ...], tag: str, pushed: bool, index: Manifest | None) -> list[str]:
    """What a multi-platform build made, and how to run one of its platforms here."""
    if len(platforms) < 2:
        return []
    if pushed and index is not None:
        return [
            f"pushed {tag} as one manifest list ({index.digest}) of "
            f"{', '.join(index.platforms)}; `docker pull --platform {platforms[-1]} {tag}` "
            "takes one platform"
        ]
    return [
        f"loaded {tag} with every platform ({', '.join(platforms)}) into the engine's "
        f"containerd image store; run one with `docker run --platform {platforms[-1]} {tag}` "
        "(another architecture runs under QEMU when binfmt_misc has it)"
    ]
