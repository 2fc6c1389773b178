"""Project + Options → Plan: every decision about stages, images, packages and layer order.

Pure: no file system, no subprocess. The renderers only format what this package decides.
One module per decision, each reading the frozen ``Project`` and ``Options``:
``model`` (the Dockerfile as data), ``os`` (packages, the user, the revision label),
``toolchain`` (Elixir, OTP, the OS release, the release), ``deps`` (the builder and deps
stages), ``frontend`` (Node assets), ``releaser``, ``runtime`` (the slim runtime) and
``minimal`` (the scratch runtime). This module puts the stages together.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kubenative import ignore
from kubenative.catalog import distros
from kubenative.catalog.distros import OsFamily
from kubenative.errors import UserError
from kubenative.options import Options
from kubenative.plan import minimal, platforms, secrets
from kubenative.plan.deps import HEX_INSTALL_ARGS, builder_stage, deps_stage
from kubenative.plan.frontend import frontend_stage, needs_node
from kubenative.plan.model import APP_DIR, Instruction, Plan, Stage, check_tools
from kubenative.plan.os import from_archive
from kubenative.plan.releaser import releaser_stages
from kubenative.plan.runtime import (
    expose,
    exposed_sockets,
    listening_ports,
    runtime_env,
    runtime_packages,
    runtime_stage,
    runtime_tools,
    start_commands,
    with_boot_files,
)
from kubenative.plan.toolchain import (
    includes_erts,
    node_what,
    override_release,
    release_name,
    rust_warnings,
)
from kubenative.plan.versions import Versions, solve
from kubenative.project.endpoints import Port, Socket
from kubenative.project.model import Assets, Project
from kubenative.project.native import NativeNeeds

# What the rest of kubenative (render, k8s, app) and the tests import from the package.
__all__ = [
    "APP_DIR",
    "HEX_INSTALL_ARGS",
    "Instruction",
    "Plan",
    "Stage",
    "make_plan",
]


@dataclass(frozen=True)
class _Choice:
    """The toolchain and release the images and the stages are built from."""

    family: OsFamily
    versions: Versions
    release: str
    node_assets: tuple[Assets, ...]  # the assets a Node stage builds
    erts: bool  # whether the release carries ERTS (else it runs on the builder image)
    natives: tuple[NativeNeeds, ...]
    port: int
    ports: tuple[Port, ...]  # every HTTP port, `port` first (empty: nothing listens)
    sockets: tuple[Socket, ...]  # the non-HTTP listeners the image exposes


def make_plan(project: Project, options: Options) -> Plan:
    """Each step appends its warnings in turn: the order of the steps is the order the user
    reads the warnings in."""
    warnings = list(project.warnings)
    choice = _choose(project, options, warnings)
    warnings.extend(secrets.warnings(project, choice.versions.elixir.value))
    targets = options.platform_list
    warnings.extend(platforms.emulation_warnings(choice.versions.otp.value, targets))
    image_rows = _image_rows(options, choice, warnings)
    stages = _stages(project, options, choice, warnings)
    check_tools(stages)
    ignore_groups = ignore.rules(project, _copied_paths(stages), options.dockerfile)
    return Plan(
        name=project.name,
        os_family=choice.family,
        os_release=choice.versions.os_release,
        elixir=choice.versions.elixir.value,
        otp=choice.versions.otp.value,
        node=choice.versions.node.value if choice.versions.node else None,
        images=tuple(image_rows),
        release=choice.release,
        release_tool=project.release_tool or "mix",
        stages=tuple(stages),
        ignore=ignore_groups,
        port=choice.port,
        ports=choice.ports,
        sockets=choice.sockets,
        user_id=options.user_id,
        dockerfile=options.dockerfile,
        config_secrets=tuple(
            (s.id, secrets.source(project, s), s.required) for s in project.config_secrets
        ),
        platforms=targets,
        warnings=tuple(warnings),
        versions=choice.versions,
    )


def versions_of(project: Project, options: Options) -> Versions:
    """The solved versions alone: what `inspect` prints (the same object `init` builds on)."""
    family: OsFamily = "alpine" if options.os == "alpine" else "debian"
    node_assets = any(needs_node(a) for a in project.assets)
    return solve(project, options, override_release(options, family), node_assets)


def _choose(project: Project, options: Options, warnings: list[str]) -> _Choice:
    family: OsFamily = "alpine" if options.os == "alpine" else "debian"
    chosen = versions_of(project, options)
    warnings.extend(w for w in chosen.warnings if w not in warnings)
    release = release_name(project, options)
    node_assets = tuple(a for a in project.assets if needs_node(a))
    rust_warnings(project, family, chosen.os_release, warnings)
    ports = listening_ports(project, options.port, warnings)
    sockets = exposed_sockets(project, warnings)
    return _Choice(
        family=family,
        versions=chosen,
        release=release,
        node_assets=node_assets,
        erts=includes_erts(project, release),
        natives=_native_needs(project),
        port=(ports[0].port if ports else None) or options.port or project.port,
        ports=ports,
        sockets=sockets,
    )


def _image_rows(
    options: Options, choice: _Choice, warnings: list[str]
) -> list[tuple[str, str, str]]:
    """The build arguments naming the images: (argument, image, what it carries)."""
    chosen = choice.versions
    image_rows = [
        (
            "BUILDER_IMAGE",
            chosen.builder,
            f"Elixir {chosen.elixir.value} on OTP {chosen.otp.value}",
        ),
    ]
    if choice.node_assets and chosen.node and chosen.node_image:
        image_rows.append(
            (
                "NODE_IMAGE",
                options.node_image or chosen.node_image,
                node_what(chosen.node.value, options.node_image),
            )
        )
    if not choice.erts and options.runtime_image:
        warnings.append(
            f"--runtime-image is unused: release `{choice.release}` sets include_erts: false, so "
            "it runs on the builder image, which carries the OTP it was built with"
        )
    if choice.erts:
        image_rows.append(
            (
                "RUNTIME_IMAGE",
                options.runtime_image or chosen.runtime,
                "the builder's OS release, nothing else",
            )
        )
    if options.node_image and not choice.node_assets:
        warnings.append("--node-image is unused: the project has no npm/yarn/pnpm assets")
    pins = dict(options.pins)
    return [
        (arg, f"{image}@{pins[image]}" if image in pins else image, what)
        for arg, image, what in image_rows
    ]


def _stages(
    project: Project, options: Options, choice: _Choice, warnings: list[str]
) -> list[Stage]:
    stages = [
        builder_stage(
            project,
            choice.family,
            choice.natives,
            choice.versions.elixir.value,
            platforms.emulation_steps(choice.versions.otp.value),
        ),
        deps_stage(project),
    ]
    releasers = releaser_stages(project, choice.release, bool(choice.node_assets), warnings)
    # `compiled` (when a Node step reads the compiled project) comes before the frontend stage
    # that copies from it; the frontend, before the releaser that takes its output.
    stages.extend(releasers[:-1])
    if choice.node_assets:
        # Assets are the same on every architecture: built once, natively, on the build
        # machine's platform, whatever the targets (a Node build under QEMU takes minutes).
        stages.append(
            replace(
                frontend_stage(
                    choice.node_assets, choice.family, _node_release(options, choice), warnings
                ),
                platform="$BUILDPLATFORM",
            )
        )
    stages.append(releasers[-1])
    tools = runtime_tools(project, choice.family, options.runtime, warnings)
    stages.extend(_runtime_stages(project, options, choice, tools))
    if project.boot_reads:
        stages[-1] = with_boot_files(stages[-1], project.boot_reads, options.user_id)
    stages = secrets.with_mounts(project, stages)
    if project.context_app != ".":
        stages = _in_poncho(project, stages)
    return _archived(stages, choice, options, warnings)


def _node_release(options: Options, choice: _Choice) -> str:
    """The OS release of the frontend's Node image: the chosen one, or the one an override's
    tag names (``node:10-stretch-slim``, ``node:12-alpine3.11``), else "" (unknown)."""
    if not options.node_image:
        return choice.versions.node_release or ""
    tag = options.node_image.rsplit(":", 1)[-1]
    for word in tag.split("-"):
        if word in distros.DEBIAN_RELEASES or word.startswith("alpine3"):
            return word
    return ""


def _archived(
    stages: list[Stage], choice: _Choice, options: Options, warnings: list[str]
) -> list[Stage]:
    """Stages on a Debian release whose packages left the mirrors install from Debian's
    archive (``plan.os.from_archive``); the build needs its URL, which the warning names."""
    chosen = choice.versions
    os_release = "" if options.builder_image else chosen.os_release
    releases: dict[str, str] = {}
    for stage in stages:
        base = stage.base
        if base == "${NODE_IMAGE}":
            release = "" if options.node_image else (chosen.node_release or "")
        elif base in ("${BUILDER_IMAGE}", "${RUNTIME_IMAGE}") or base in releases:
            release = releases.get(base, os_release)
            if base == "${RUNTIME_IMAGE}" and options.runtime_image:
                release = ""
        else:
            release = ""
        releases[stage.name] = release
    result = []
    for stage in stages:
        release = releases[stage.name]
        codename = distros.codename(release) if release else ""
        if codename in distros.ARCHIVED and choice.family == "debian":
            archived = from_archive(stage, codename)
            if archived != stage:
                note = (
                    f"Debian {codename} is archived: the apt steps of the {stage.name} stage read "
                    "Debian's archive of end-of-life releases, whose URL the build needs: pass "
                    "--build-arg DEBIAN_ARCHIVE=<URL> to kubenative build (or docker build)"
                )
                if not any(w.startswith(f"Debian {codename} is archived") for w in warnings):
                    warnings.append(note.replace(f"the {stage.name} stage", "its stages"))
            stage = archived
        result.append(stage)
    return result


def _runtime_stages(
    project: Project, options: Options, choice: _Choice, tools: tuple[str, ...]
) -> list[Stage]:
    """The stages the release runs in: scratch (``--runtime minimal``), else the slim runtime,
    else, when the release carries no ERTS, the builder's image."""
    release = choice.release
    if options.runtime == "minimal":
        if not choice.erts:
            raise UserError(
                f"--runtime minimal: release `{release}` sets include_erts: false, so it carries "
                "no Erlang to run on scratch; use --runtime slim or include ERTS in the release"
            )
        return list(
            minimal.stages(
                release,
                runtime_packages(
                    choice.family,
                    choice.versions.os_release,
                    choice.natives,
                    choice.versions.libssl,
                ),
                runtime_env(project, choice.ports),
                expose(choice.ports, choice.sockets),
                options.user_id,
                start_commands(project, release),
            )
        )
    stage = runtime_stage(
        project,
        choice.family,
        choice.versions.os_release,
        release,
        choice.ports,
        options.user_id,
        choice.natives,
        tools,
        choice.sockets,
        choice.versions.libssl,
    )
    if not choice.erts:
        stage = replace(
            stage,
            base="${BUILDER_IMAGE}",
            comment="The release on the builder's image: include_erts: false leaves Erlang "
            f"out of the release, which runs the image's own OTP {choice.versions.otp.value}",
        )
    return [stage]


def _native_needs(project: Project) -> tuple[NativeNeeds, ...]:
    return tuple(dep.needs for dep in project.native_deps)


def _in_poncho(project: Project, stages: list[Stage]) -> list[Stage]:
    """A poncho app's stages: the context is the poncho root, so every source the app copies
    sits under its folder, and its path dependencies are copied to where their relative path
    from /app leads (see ``kubenative.project.poncho``): their mix files before the fetch,
    their source before ``mix deps.compile``, which compiles path dependencies too."""
    prefix = project.context_app
    result = []
    for stage in stages:
        steps: list[Instruction] = []
        for step in stage.steps:
            if step.op == "COPY" and not any(f.startswith("--from=") for f in step.flags):
                sources = tuple(f"{prefix}/{source}" for source in step.args[:-1])
                step = replace(step, args=(*sources, step.args[-1]))
            if stage.name == "deps" and step.op == "RUN" and "mix deps.compile" in step.args:
                steps.extend(
                    Instruction(
                        "COPY",
                        (folder, image),
                        comment="Path dependencies, compiled with the dependencies"
                        if n == 0
                        else "",
                    )
                    for n, (folder, image) in enumerate(project.path_deps)
                )
            steps.append(step)
            if stage.name == "deps" and len(steps) == 1:
                steps.extend(
                    Instruction("COPY", (f"{folder}/mix.exs", f"{image}/"))
                    for folder, image in project.path_deps
                )
        result.append(replace(stage, steps=tuple(steps)))
    return result


def _copied_paths(stages: list[Stage]) -> list[str]:
    """Every path the Dockerfile copies from the build context."""
    return [
        source.rstrip("/")
        for stage in stages
        for step in stage.steps
        if step.op == "COPY" and not any(flag.startswith("--from=") for flag in step.flags)
        for source in step.args[:-1]
    ]
