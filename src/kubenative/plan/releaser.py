"""The `releaser` stage: the compiled code, the Mix asset tasks and the release."""

from __future__ import annotations

from dataclasses import replace

from kubenative.plan.frontend import chain, needs_compiled
from kubenative.plan.model import APP_DIR, Instruction, Stage, grouped_copies
from kubenative.project import assets as assets_reader
from kubenative.project.model import App, Assets, Project, Step


def releaser_stages(
    project: Project, release: str, has_frontend: bool, warnings: list[str]
) -> list[Stage]:
    """The releaser, and before it, when a Node step needs the compiled project (it comes after
    a Mix step whose output it may read), `compiled`: the source, `mix compile` and the Mix
    steps before that Node step, which the frontend stage then takes whole."""
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
    steps.append(Instruction("RUN", ("mix compile",), tools=MIX))
    late = has_frontend and needs_compiled(project.assets)
    before: list[Instruction] = []
    after: list[Instruction] = []
    for item in project.assets:
        first, rest = _release_assets(project, item, has_frontend, warnings)
        before.extend(first)
        after.extend(rest)
    after.extend(
        grouped_copies(
            project.late_config,
            comment="Boot-time config last: changing it recompiles nothing",
        )
    )
    for templates in _release_templates(project):
        after.append(Instruction("COPY", (templates, templates)))
    after.extend(
        grouped_copies(
            project.release_reads,
            comment="What the release step reads: hooks, overlays, vm.args, release steps",
        )
    )
    after.append(_release_run(project, release))
    if not late:
        return [Stage("releaser", "deps", "The compiled release", (*steps, *before, *after))]
    return [
        Stage(
            "compiled",
            "deps",
            "The compiled project, which a Node step of the asset build reads",
            (*steps, *before),
        ),
        Stage("releaser", "compiled", "The compiled release", tuple(after)),
    ]


MIX = ("mix",)


def _release_assets(
    project: Project, item: Assets, has_frontend: bool, warnings: list[str]
) -> tuple[list[Instruction], list[Instruction]]:
    """The asset steps of the releaser: the Mix steps that come before a Node step that needs
    the compiled project (they go into `compiled`), then the Node build's output from
    `frontend` and the rest of the Mix steps in their order (esbuild, tailwind, phx.digest).
    When prod config expects a cache manifest and no step writes one, a Phoenix app gets
    `phx.digest`."""
    app = next(a for a in project.apps if a.name == item.app)
    steps_of = chain(item, app.path)
    own = [s for s in steps_of if not (item.alias == "release" and _is_release(s))]
    late = [i for i, s in enumerate(own) if s.tool == "node" and "compiled" in s.needs]
    cut = late[0] if late and has_frontend else 0
    first = [s for s in own[:cut] if s.tool != "node"]
    if first and first[0].tasks == ("compile",) and first[0].cwd in (".", app.path):
        first = first[1:]  # the alias compiles first: `mix compile` has just run
    rest = [s for s in own[cut:] if s.tool != "node"]
    before = [_mix_run(first, app, project)] if first else []
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
    mix_built = item.pipeline == "mix" or bool(
        set(_task_names(item)) & set(assets_reader.BINARY_TASKS)
    )
    outside = not project.umbrella and item.path != "." and not item.path.startswith("apps/")
    if mix_built and outside:
        copy = Instruction(
            "COPY",
            (item.path, item.path),
            comment=f"Assets built by Mix ({', '.join(_task_names(item))})",
        )
        if cut:
            before.insert(0, copy)
        else:
            steps.append(copy)
    if item.lockfile and has_frontend and item.node and _reads_node_modules(own, mix_built):
        # The Mix bundlers resolve `import Alpine from "alpinejs"` and Tailwind's
        # `require("@tailwindcss/forms")` from assets/node_modules, which exist wherever the
        # alias runs locally; so they come from `frontend` even when a Node step of the alias
        # builds files of its own there (elixirschool's `npm run deploy` + `esbuild`).
        modules = f"{item.path}/node_modules"
        steps.append(Instruction("COPY", (f"{APP_DIR}/{modules}", modules), ("--from=frontend",)))
    if not item.digests and (item.manifest or built_by_node):
        if app.phoenix:
            rest.append(Step(f"mix {_digest_task(app)}", app.path, "mix", "kubenative"))
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
            rest.append(Step(f"mix {_digest_task(other)}", other.path, "mix", "kubenative"))
    if not rest:
        return before, steps
    env_args = sorted({env for tool, env in item.tool_paths if env and tool in item.tools})
    if env_args:
        steps.append(Instruction("ARG", tuple(env_args)))
    steps.append(_mix_run(rest, app, project))
    return before, steps


def _reads_node_modules(steps: list[Step], mix_built: bool) -> bool:
    """A Mix step of the build reads the installed packages: a bundler task (esbuild,
    tailwind), or any Mix step of a Mix-driven build."""
    mix = [s for s in steps if s.tool == "mix"]
    return any("node_modules" in s.needs for s in mix) or (mix_built and bool(mix))


def _mix_run(steps: list[Step], app: App, project: Project) -> Instruction:
    """One RUN for consecutive steps, from /app: a step in another folder is entered with
    `cd` (relative the first time, from /app after that, as `cd` persists along the chain)."""
    commands: list[str] = []
    here = "."
    for step in steps:
        command = _direct(step) if step.direct else step.command
        if step.cwd != here:
            target = step.cwd if here == "." else f"{APP_DIR}/{step.cwd}".rstrip("/.")
            command = f"cd {target or APP_DIR} && {command}"
            here = step.cwd
        commands.append(command)
    return Instruction("RUN", tuple(commands), tools=MIX)


def _is_release(step: Step) -> bool:
    return step.direct and step.tasks[:1] != () and step.tasks[0].split()[0] == "release"


# A Mix task its own alias shadows (`release: ["cmd npm run deploy", "phx.digest", "release"]`)
# cannot be run by name: Mix runs the alias instead, whose Node step the releaser cannot run.
# Mix looks a task up by module; this one-line task, defined before Mix starts, runs the named
# task's module itself, past the alias.
DIRECT_TASK = (
    "elixir -e 'defmodule Mix.Tasks.Kubenative.Task do use Mix.Task; "
    'def run([task | args]), do: (Mix.Task.run("loadpaths"); Mix.Task.get!(task).run(args)) '
    "end' -S mix kubenative.task"
)


def _direct(step: Step) -> str:
    return f"{DIRECT_TASK} {step.tasks[0] if step.tasks else step.command.split(' ', 1)[1]}"


def _release_templates(project: Project) -> list[str]:
    """The folders the release tool reads templates and overlays from (``rel``, or each
    release's ``rel_templates_path``)."""
    found = [r.templates for r in project.releases if (r.templates or "rel") != "rel"]
    folders = (["rel"] if project.has_rel_dir else []) + found
    return list(dict.fromkeys(folders))


def _release_run(project: Project, release: str) -> Instruction:
    command = _release_command(project, release)
    shadowed = any(item.alias == "release" for item in project.assets)
    if shadowed and command.startswith("mix release"):
        command = command.replace("mix ", f"{DIRECT_TASK} ", 1)
        return Instruction(
            "RUN",
            (command,),
            comment="The release, past the project's `release` alias, whose steps ran above",
            tools=MIX,
        )
    return Instruction("RUN", (command,), tools=MIX)


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
        chosen = next((r for r in project.releases if r.name == release), None)
        environment = chosen.environment if chosen else "prod"
        return f"mix {task} --env={environment} --name={release} --no-tar"
    if len(project.releases) == 1 and not project.umbrella and release == project.apps[0].name:
        return "mix release"
    return f"mix release {release}"


def _at_least(version: str, wanted: tuple[int, int]) -> bool:
    parts = tuple(int(p) for p in version.split(".")[:2] if p.isdigit())
    return parts >= wanted
