"""Run the commands of a build (``kubenative.docker.build``) against the engine: probe what it
offers, stream BuildKit's progress into per-stage reports, and turn failures into errors that
name the stage or the registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kubenative import gitinfo
from kubenative import options as options_file
from kubenative.docker import build, config_secrets, platforms, run
from kubenative.docker.progress import StageReport, by_platform, by_stage, parse_plain, vertex
from kubenative.errors import UserError

Notify = Callable[[str], None]


@dataclass(frozen=True)
class Prepared:
    request: build.Request
    commands: list[build.Command]
    why: str  # how the cache mode was chosen
    warnings: tuple[str, ...] = ()


@dataclass
class Report:
    image: str
    tags: tuple[str, ...]
    mode: str
    stages: list[StageReport] = field(default_factory=list)
    size: int | None = None
    # --platform: each platform's stages (and, pushed, its image); the index pushed
    platforms: list[platforms.PlatformReport] = field(default_factory=list)
    index: str | None = None
    hints: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = {
            "image": self.image,
            "tags": list(self.tags),
            "mode": self.mode,
            "stages": [platforms.stage_json(s) for s in self.stages],
            "size": self.size,
        }
        if self.platforms:
            data["platforms"] = [p.to_json() for p in self.platforms]
            data["index"] = self.index
        return data


def _docker(docker: str, *args: str, check: bool = False) -> run.Completed:
    done = run.run((docker, *args), check=check)
    if not done.ok and run.engine_down(done.output):
        raise UserError(run.ENGINE_DOWN)
    return done


def _buildx_driver(docker: str, builder: str | None) -> str | None:
    which = (builder,) if builder else ()
    inspect = _docker(docker, "buildx", "inspect", *which)
    for line in inspect.output.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "Driver" and inspect.ok:
            return value.strip()
    return None


def _containerd_store(docker: str) -> bool:
    info = _docker(docker, "info", "--format", "{{json .DriverStatus}}")
    return "io.containerd.snapshotter" in info.output


def detect_mode(docker: str, builder: str | None) -> tuple[str, str]:
    """The default cache mode for this engine, and why (one line)."""
    _docker(docker, "version", "--format", "{{.Server.Version}}", check=True)
    if not _docker(docker, "buildx", "version").ok:
        return build.choose_mode(False, None, False)
    driver = _buildx_driver(docker, builder)
    return build.choose_mode(True, driver, _containerd_store(docker))


def _require_buildx(docker: str, builder: str | None) -> None:
    if not _docker(docker, "buildx", "version").ok:
        raise UserError(
            "--cache registry needs docker buildx, which is not installed "
            "(`docker buildx version` failed); install it or use --cache stages"
        )
    mode, why = detect_mode(docker, builder)
    if mode != "registry":
        raise UserError(
            f"--cache registry cannot work here: {why}; enable the containerd image store or "
            "run `docker buildx create --use`, or use --cache stages"
        )


def prepare(
    path: str,
    image: str,
    *,
    mode: str | None,
    push: bool = False,
    latest: bool = False,
    platform: str | None = None,
    builder: str | None = None,
    dry_run: bool = False,
    hex_mirror: str | None = None,
    hex_mirror_key: str | None = None,
    build_args: tuple[str, ...] = (),
    secrets: tuple[str, ...] = (),
    network: str | None = None,
) -> Prepared:
    """Read the Dockerfile and git, settle the cache mode, and list the commands."""
    root = Path(path)
    saved = options_file.load(root)
    dockerfile = root / saved.dockerfile  # --output, saved by init
    # --platform, else what init --platform saved
    targets = options_file.parse_platforms(platform) if platform else saved.platform_list
    if not dockerfile.is_file():
        raise UserError(f"no {dockerfile.name} in {dockerfile.parent}: run kubenative init first")
    text = dockerfile.read_text(encoding="utf-8")
    stages = build.stage_names(text)
    if not stages:
        raise UserError(f"{dockerfile}: no `FROM ... AS name` stage; run kubenative init --force")
    given = tuple(build.validate_secret(spec) for spec in secrets)
    # The files below /app are the project's (a poncho app's folder: --app, saved by init).
    project = root / saved.app if saved.app else root
    passed = config_secrets.pass_secrets(text, project, given, dry_run=dry_run)
    docker = run.docker()
    why = "--cache given"
    if mode is None:
        if dry_run:
            mode, why = "stages", "--dry-run without --cache (stages works on any engine)"
        else:
            mode, why = detect_mode(docker, builder)
    elif mode == "registry" and not dry_run:
        _require_buildx(docker, builder)
    if not dry_run and not (push and mode == "registry"):  # otherwise loaded into the engine
        refused = platforms.unloadable(targets, _containerd_store(docker))
        if refused:
            raise refused
    request = build.Request(
        context=root,
        dockerfile=dockerfile,
        image=build.validate_image(image),
        git=gitinfo.read(root),
        stages=stages,
        mode=mode,
        push=push,
        latest=latest,
        platform=",".join(targets) or None,
        builder=builder,
        docker=docker,
        build_args=(
            *build.build_arguments(hex_mirror, build_args, hex_mirror_key),
            *passed.build_args,
        ),
        secrets=(*given, *passed.secrets),
        network=network,
    )
    warnings = (*passed.warnings, *build.undeclared(text, request.build_args))
    mirrors = {arg.partition("=")[0] for arg in request.build_args}
    if hex_mirror_key and not mirrors & {"HEX_MIRROR", "HEX_BUILDS_URL"}:
        warnings += (
            "--hex-mirror-key without --hex-mirror: Mix and Hex would check the default "
            "repository's signatures against the mirror's key and refuse them; give the mirror's "
            "URL too",
        )
    return Prepared(request, build.commands(request), why, warnings)


Where = tuple[str, str]  # (platform BuildKit named, or "", stage)


class _Live:
    """Follows a build's plain progress and tells when a stage is done: its last step and every
    step of it started so far have finished. In a multi-platform build each platform's stage is
    told on its own."""

    def __init__(self, notify: Notify, reported: set[Where]) -> None:
        self.lines: list[str] = []
        self.notify = notify
        self.reported = reported
        self.stage_of: dict[str, Where] = {}  # vertex id -> where it runs
        self.last: set[str] = set()  # vertex ids of each stage's last step
        self.done: set[str] = set()

    def feed(self, line: str) -> None:
        self.lines.append(line)
        if not line.startswith("#"):
            return
        found = vertex(line)
        if found:
            number, platform, stage, last = found
            if stage:
                self.stage_of[number] = (platform, stage)
                if last:
                    self.last.add(number)
            return
        number, _, rest = line[1:].partition(" ")
        if rest.startswith(("DONE", "CACHED")) and number in self.stage_of:
            self.done.add(number)
            where = self.stage_of[number]
            steps = [v for v, w in self.stage_of.items() if w == where]
            if any(v in self.last for v in steps) and all(v in self.done for v in steps):
                self._report(where)

    def _report(self, where: Where) -> None:
        platform, stage = where
        report = self.platforms().get(platform, {}).get(stage)
        if report and where not in self.reported:
            self.reported.add(where)
            self.notify(_line(report, platform))

    def finish(self) -> None:
        """Report the stages the build ran that were not reported yet."""
        for platform, stages in self.platforms().items():
            for stage in stages:
                self._report((platform, stage))

    def stages(self) -> dict[str, StageReport]:
        return by_stage(parse_plain(self.lines))

    def platforms(self) -> dict[str, dict[str, StageReport]]:
        return by_platform(parse_plain(self.lines))


def _line(stage: StageReport, platform: str = "") -> str:
    where = f" ({platform})" if platform else ""
    return f"{stage.name}{where}: {stage.summary()}, {stage.seconds:.1f}s"


def _stage_failure(
    err: run.CommandFailed, live: _Live, command: build.Command, image: str
) -> UserError:
    steps = parse_plain(live.lines)
    failed = next((s for s in steps if s.error), None)
    stage = failed.stage if failed else command.stage
    if failed is None and (registry := build.registry_error(err.output, image)):
        return registry
    shown = [line for line in (failed.output if failed else []) if line.strip()][-run.TAIL :]
    tail = "\n  ".join(shown) if shown else "\n  ".join(err.output.splitlines()[-run.TAIL :])
    what = f" at `{failed.instruction}`" if failed else ""
    return UserError(f"stage `{stage or '?'}` failed{what} (exit {err.code}):\n  {tail}")


def execute(prepared: Prepared, notify: Notify) -> Report:
    """Run every command; ``notify`` gets one line per finished stage."""
    req = prepared.request
    report = Report(req.image, req.tags, req.mode)
    reported: set[tuple[str, str]] = set()
    found: dict[str, StageReport] = {}
    found_by: dict[str, dict[str, StageReport]] = {}
    for command in prepared.commands:
        if command.kind == "push":
            try:
                run.run(command.argv)
            except run.CommandFailed as err:
                raise build.registry_error(err.output, command.argv[-1]) or err from err
        else:
            live = _Live(notify, reported)
            try:
                for line in run.stream(command.argv):
                    live.feed(line)
            except run.CommandFailed as err:
                raise _stage_failure(err, live, command, req.image) from err
            live.finish()
            for name, stage in live.stages().items():
                if command.stage is None or name == command.stage:
                    found.setdefault(name, stage)
            for platform, stages in live.platforms().items():
                for name, stage in stages.items():
                    if command.stage is None or name == command.stage:
                        found_by.setdefault(platform, {}).setdefault(name, stage)
    report.stages = [found[name] for name in req.stages if name in found]
    size = _docker(req.docker, "image", "inspect", "--format", "{{.Size}}", req.tags[0])
    report.size = int(size.output.strip()) if size.ok and size.output.strip().isdigit() else None
    if req.platforms:
        report.platforms = platforms.per_platform(req.platforms, found_by, req.stages)
        index = None
        if req.push:
            index = platforms.add_registry(report.platforms, req.tags[0], _registry_images())
            report.index = index.digest
        report.hints = platforms.hints(req.platforms, req.tags[0], req.push, index)
    return report


def _registry_images() -> platforms.Images:
    from kubenative.docker.registry import Client, engine_index

    return Client.from_environment(index_lookup=engine_index).platform_images
