"""Imported config that git does not hold, mounted as BuildKit secrets (pure, like all of plan).

Phoenix <= 1.5 generated ``import_config "prod.secret.exs"`` in ``prod.exs`` and a
``.gitignore`` line for the file: a checkout never has it, so no ``COPY`` can bring it, and the
article built its image by copying the local file into a layer. kubenative mounts it instead:
``RUN --mount=type=secret,id=config_prod_secret_exs,target=/app/config/prod.secret.exs,
required=true`` on every step that makes Mix evaluate the config. The file is never in a layer
(BuildKit mounts secrets on a tmpfs for one step), and ``kubenative build`` passes
``--secret id=...,src=...`` from the project.

Which steps: every ``mix`` command that runs once config is in the image, in every stage that
has it (``deps`` after its config ``COPY``, and every stage built from one that has it). Mix
loads the config before any task (``deps.compile``, ``compile``, the asset tasks,
``phx.digest``, ``release``), and an ``import_config`` of a missing file stops it. ``deps.get``
runs before the config is copied, so it evaluates nothing.

BuildKit keeps a secret out of the cache key, so a changed file would leave the compiled release
as it was. ``kubenative build`` therefore passes a digest of the files as the build argument
``CONFIG_SECRETS_DIGEST``, declared right before the first step that evaluates config: the same
files keep the cache, a change reruns the steps from there. The digest reveals no more than the
release itself, which holds the values.
"""

from __future__ import annotations

from dataclasses import replace

from kubenative.catalog.versions import parse_version
from kubenative.plan.model import APP_DIR, Instruction, Stage
from kubenative.project.model import ConfigSecret, Project

DIGEST_ARG = "CONFIG_SECRETS_DIGEST"


def mount(secret: ConfigSecret) -> str:
    """The ``--mount`` flag of one secret; an optional one (a conditional import) is simply
    absent when the build is not given it, as the file is on a machine that lacks it."""
    flag = f"--mount=type=secret,id={secret.id},target={APP_DIR}/{secret.path}"
    return flag + (",required=true" if secret.required else "")


def source(project: Project, secret: ConfigSecret) -> str:
    """The file, relative to the Docker context (the poncho root for a poncho app)."""
    if project.context_app != ".":
        return f"{project.context_app}/{secret.path}"
    return secret.path


def docker_flag(project: Project, secret: ConfigSecret) -> str:
    return f"--secret id={secret.id},src={source(project, secret)}"


def runs_mix(step: Instruction) -> bool:
    """A RUN whose commands call ``mix`` (``mix compile``, ``cd apps/web && mix phx.digest``,
    ``[ -n "$X" ] || mix esbuild.install``)."""
    if step.op != "RUN":
        return False
    for command in step.args:
        words = command.replace(";", " ").replace("(", " ").replace("{", " ").split()
        if "mix" in words:
            return True
    return False


def with_mounts(project: Project, stages: list[Stage]) -> list[Stage]:
    """``stages`` with the secret mounts on every Mix step that runs with config in place, and
    the digest argument before the first of them."""
    if not project.config_secrets:
        return stages
    flags = tuple(mount(secret) for secret in project.config_secrets)
    config = set(project.compile_config)
    configured: set[str] = set()  # stages whose image holds the config at their end
    declared = False
    result: list[Stage] = []
    for stage in stages:
        has_config = stage.base in configured
        steps: list[Instruction] = []
        for step in stage.steps:
            if step.op == "COPY" and not any(f.startswith("--from=") for f in step.flags):
                has_config = has_config or any(source in config for source in step.args[:-1])
            if has_config and runs_mix(step):
                if not declared:
                    steps.append(Instruction("ARG", (DIGEST_ARG,), comment=_comment(project)))
                    declared = True
                step = replace(step, flags=(*step.flags, *flags))
            steps.append(step)
        if has_config:
            configured.add(stage.name)
        result.append(replace(stage, steps=tuple(steps)))
    return result


def _comment(project: Project) -> str:
    """What the reader of the Dockerfile needs: which files, the flags for plain docker, and
    what the digest argument is for."""
    lines = ["Config that git does not hold, mounted as build secrets into each Mix step:"]
    lines.extend(f"  {docker_flag(project, secret)}" for secret in project.config_secrets)
    lines.append("A changed file reruns the steps from here (kubenative build passes its digest)")
    return "\n".join(lines)


def warnings(project: Project, elixir: str) -> list[str]:
    """One line per secret: what the build does with it, what plain docker needs, that its
    values are compiled into the release, and the way out that fits the project's Elixir and
    release tool (``elixir``: the version the plan builds with)."""
    found = []
    for secret in project.config_secrets:
        if secret.present:
            where = "git ignores it"
        elif secret.required:
            where = "and it is not on this machine: create it before you build"
        else:
            where = "and it is not on this machine: the import is conditional, so Mix goes on"
        passes = "passes it" if secret.required else "passes it when it exists"
        needs = "needs" if secret.required else "takes"
        stops = ", and the build stops without it" if secret.required else ""
        found.append(
            f"{secret.imported_by} imports {secret.path}, which git does not hold ({where}): "
            f"it is mounted as the build secret `{secret.id}` into every Mix step that "
            f"evaluates config, so it is in no layer; `kubenative build` {passes}, plain "
            f"`docker build` {needs} `{docker_flag(project, secret)}`{stops}. Mix evaluates "
            "config while it builds, so its values are compiled into the release: to keep them "
            f"out of the image, {way_out(project, elixir)}, and remove the import"
        )
        if secret.requires:
            names = ", ".join(secret.requires)
            found.append(
                f"{secret.path} (this machine's copy) requires {names} while Mix evaluates it "
                "(`fetch_env!`, `|| raise`), and the image build has no such variables, so it "
                f"stops there: {way_out(project, elixir)}"
            )
    return found


def way_out(project: Project, elixir: str) -> str:
    """Where settings read at boot go, for this project's release tool and Elixir."""
    if project.release_tool == "distillery":
        version = parse_version(project.distillery_version or "2.1") or (2, 1)
        placeholders = (
            'put "${VAR}" placeholders in their place, which Distillery fills from the '
            "environment at boot (the image sets REPLACE_OS_VARS=true)"
        )
        if version < (2, 0):
            return placeholders + " (Distillery 2 adds config providers)"
        provider = (
            "Mix.Releases.Config.Providers.Elixir"
            if version < (2, 1)
            else "Distillery.Releases.Config.Providers.Elixir"
        )
        return (
            "read them when the release boots with a Distillery config provider: in "
            "rel/config.exs, `environment :prod` gets `set config_providers: "
            f'[{{{provider}, ["${{RELEASE_ROOT_DIR}}/etc/runtime.exs"]}}]` and `set overlays: '
            '[{:copy, "rel/config/runtime.exs", "etc/runtime.exs"}]`, and '
            "rel/config/runtime.exs reads them with System.get_env; or " + placeholders
        )
    parsed = parse_version(elixir)
    if parsed is None:
        return (
            "read them at boot: config/runtime.exs on Elixir 1.11 and later, "
            "config/releases.exs on Elixir 1.9 and 1.10 (mix release evaluates it at boot)"
        )
    if parsed >= (1, 11):
        return (
            "read them at boot in config/runtime.exs (System.fetch_env!), which mix release "
            "evaluates when the release starts"
        )
    if parsed >= (1, 9):
        return (
            f"read them at boot in config/releases.exs (System.fetch_env!), which mix release "
            f"evaluates when the release starts (Elixir {elixir} has no config/runtime.exs; it "
            "came with 1.11)"
        )
    return (
        f"read them at boot: Elixir {elixir} has no boot-time config of its own (mix release "
        "came with 1.9), so use Distillery 2's config provider, or move to Elixir 1.11 and "
        "config/runtime.exs"
    )
