"""The `releaser` stage: the compiled code, the Mix asset tasks and the release."""

from __future__ import annotations

from dataclasses import replace

from kubenative.plan.model import APP_DIR, Instruction, Stage, grouped_copies
from kubenative.project import assets as assets_reader
from kubenative.project.model import App, Assets, Project


def releaser_stage(
    project: Project, release: str, has_frontend: bool, warnings: list[str]
) -> Stage:
    # Files the code reads while compiling change less often than the code: they come first,
    # so a code change leaves their layers cached.
    steps = grouped_copies(
        project.compile_reads,
        comment="Files the code reads while it compiles (@external_resource, File.read!)",
    )
    source = [Instruction("COPY", (d, d)) for d in project.source_dirs]
    if source:
        source[0] = Instruction("COPY", source[0].args, comment="The application source")
    steps.extend(source)
    steps.extend(_mix_env_args(project))
    steps.append(Instruction("RUN", ("mix compile",)))
    for item in project.assets:
        steps.extend(_release_assets(project, item, has_frontend, warnings))
    steps.extend(
        grouped_copies(
            project.late_config,
            comment="Boot-time config last: changing it recompiles nothing",
        )
    )
    if project.has_rel_dir:
        steps.append(Instruction("COPY", ("rel", "rel")))
    steps.append(Instruction("RUN", (_release_command(project, release),)))
    return Stage("releaser", "deps", "The compiled release", tuple(steps))


def _release_assets(
    project: Project, item: Assets, has_frontend: bool, warnings: list[str]
) -> list[Instruction]:
    """The asset steps of the releaser: the Node build's output from `frontend`, then the Mix
    tasks of the alias in their order (esbuild, tailwind, phx.digest), which run where the
    compiled code and every template are. When prod config expects a cache manifest and no step
    writes one, a Phoenix app gets `phx.digest`."""
    app = next(a for a in project.apps if a.name == item.app)
    steps: list[Instruction] = []
    built_by_node = item.node and item.pipeline != "mix" and bool(item.commands)
    if built_by_node and has_frontend:
        outputs = item.outputs or ((item.output,) if item.output else ())
        for output in outputs:
            steps.append(Instruction("COPY", (f"{APP_DIR}/{output}", output), ("--from=frontend",)))
        if steps:
            owners = [a.name for a in project.apps if f"{a.path}/priv/static" in outputs]
            steps[0] = replace(
                steps[0],
                comment=f"Static assets of {', '.join(owners) or item.app}, built in the "
                "frontend stage",
            )
    mix_tasks = list(item.mix_steps)
    if item.pipeline == "mix" or set(_task_names(item)) & set(assets_reader.BINARY_TASKS):
        if not project.umbrella and item.path != "." and not item.path.startswith("apps/"):
            steps.append(
                Instruction(
                    "COPY",
                    (item.path, item.path),
                    comment=f"Assets built by Mix ({', '.join(_task_names(item))})",
                )
            )
        # The Mix bundlers resolve `import Alpine from "alpinejs"` and Tailwind's
        # `require("@tailwindcss/forms")` from assets/node_modules, which exist wherever the
        # alias runs locally; so they come from `frontend` even when a Node step of the alias
        # builds files of its own there (elixirschool's `npm run deploy` + `esbuild`).
        if item.lockfile and has_frontend and item.node:
            modules = f"{item.path}/node_modules"
            steps.append(
                Instruction("COPY", (f"{APP_DIR}/{modules}", modules), ("--from=frontend",))
            )
    if not item.digests and (item.manifest or built_by_node):
        if app.phoenix:
            mix_tasks.append(_digest_task(app))
        elif item.manifest and not item.mix_steps:
            warnings.append(
                f"{item.manifest} sets cache_static_manifest for {item.app}, but no step of its "
                "asset build digests and it does not use Phoenix (no phx.digest): make "
                f"{item.alias or 'assets.deploy'} write the manifest"
            )
    for other in project.apps:
        # A root-level build (one webpack for every app of an umbrella) writes into other apps'
        # priv/static too: each Phoenix app digests its own.
        theirs = f"{other.path}/priv/static" in item.outputs
        if built_by_node and other.phoenix and other.name != item.app and theirs:
            steps.append(Instruction("RUN", (f"cd {other.path} && mix {_digest_task(other)}",)))
    if not mix_tasks:
        return steps
    if item.alias and not item.commands and tuple(mix_tasks) == item.mix_steps:
        run: tuple[str, ...] = (f"mix {item.alias}",)  # the project's own alias, as is
    else:
        run = tuple(f"mix {task}" for task in mix_tasks)
    if app.path != ".":
        run = (f"cd {app.path} && {run[0]}", *run[1:])
    env_args = sorted({env for tool, env in item.tool_paths if env and tool in item.tools})
    if env_args:
        steps.append(Instruction("ARG", tuple(env_args)))
    steps.append(Instruction("RUN", run))
    return steps


def _digest_task(app: App) -> str:
    """Phoenix 1.3 renamed its Mix tasks from `phoenix.*` to `phx.*`: a Phoenix locked below 1.3
    has only `phoenix.digest` (`mix phx.digest` is "task could not be found" there)."""
    if app.phoenix_version is not None and not _at_least(app.phoenix_version, (1, 3)):
        return "phoenix.digest"
    return "phx.digest"


def _task_names(item: Assets) -> list[str]:
    """The Mix tasks of the alias that build (every one but the digest)."""
    names = [assets_reader.task_name(step) for step in item.mix_steps]
    return [n for n in dict.fromkeys(names) if n not in ("phx.digest", "")]


def _mix_env_args(project: Project) -> list[Instruction]:
    """The environment variables mix.exs reads (a version or a revision passed in), declared as
    build arguments of the releaser, where the version is compiled into the app and names the
    release. Not in `deps`: a revision that changes with every commit would refetch and
    recompile the dependencies each time, so there mix.exs sees them unset (it must have a
    fallback, `System.get_env("X", "dev")`). Without a default: unset, they leave every step
    cached; set, the steps after them run again."""
    if not project.mix_env:
        return []
    return [
        Instruction(
            "ARG",
            project.mix_env,
            comment="Read by mix.exs: pass them with --build-arg NAME=VALUE",
        )
    ]


def _release_command(project: Project, release: str) -> str:
    if project.release_tool == "distillery":
        version = project.distillery_version or "2.1"
        task = "distillery.release" if _at_least(version, (2, 1)) else "release"
        return f"mix {task} --env=prod --name={release} --no-tar"
    if len(project.releases) == 1 and not project.umbrella and release == project.apps[0].name:
        return "mix release"
    return f"mix release {release}"


def _at_least(version: str, wanted: tuple[int, int]) -> bool:
    parts = tuple(int(p) for p in version.split(".")[:2] if p.isdigit())
    return parts >= wanted
