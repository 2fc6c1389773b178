"""The `builder` stage (Elixir, OTP and the build tools) and the `deps` stage (the
dependencies, fetched and compiled, and the asset tools' binaries)."""

from __future__ import annotations

from dataclasses import replace

from kubenative.catalog import distros
from kubenative.catalog.distros import OsFamily
from kubenative.catalog.versions import parse_version
from kubenative.plan.model import APP_DIR, Instruction, Stage, grouped_copies
from kubenative.plan.os import install
from kubenative.plan.runtime import compile_tools
from kubenative.project import assets as assets_reader
from kubenative.project.model import Project
from kubenative.project.native import NativeNeeds

# Hex's mirror settings, as build arguments (`kubenative build --hex-mirror URL`, or
# `--build-arg NAME=VALUE`): HEX_MIRROR is the Hex repository mirror (`deps.get`, and
# `local.hex`/`local.rebar` before Elixir 1.15), HEX_BUILDS_URL where Elixir >= 1.15 fetches Hex
# and rebar, HEX_CACERTS_PATH a CA bundle inside the build for both. They are not secrets. Each
# is declared without a default, right before the step that reads it: BuildKit puts an ARG into
# a RUN's environment, and so into its cache key, only when it has a value, so an unset one
# leaves every step cached as it was (an `ARG X=` default would be a value, and set X="").
HEX_INSTALL_ARGS = ("HEX_MIRROR", "HEX_BUILDS_URL", "HEX_CACERTS_PATH", "HEX_MIRROR_KEY")

# A mirror made with `mix hex.registry build` signs with its own key, and Mix and Hex each check
# a signature against a public key they know: Mix the signed list of Hex and rebar builds
# (`installs/hex-1.x.csv.signed`, Elixir <= 1.18; its keys are the one built into Mix and those
# `mix local.public_keys FILE` adds to MIX_HOME/public_keys; 1.19 lists sha512 sums over HTTPS
# instead and has no such task), and Hex the registry it fetches (the repository's
# `public_key`, which `mix hex.repo set hexpm --public-key FILE` replaces in HEX_HOME's config;
# HEX_MIRROR still gives the URL). No environment variable names either key. The key is public,
# so it comes as the build argument HEX_MIRROR_KEY (`kubenative build --hex-mirror-key FILE`),
# which, unset, leaves the step cached.
KEY_FILE = "/tmp/hex_mirror.pem"


HEX_FETCH_ARGS = ("HEX_MIRROR", "HEX_CACERTS_PATH")


def _hex_install(elixir: str) -> tuple[str, ...]:
    """The commands that install Hex and rebar, trusting HEX_MIRROR_KEY when it is given."""
    write = f"printf '%s\\n' \"$HEX_MIRROR_KEY\" > {KEY_FILE}"
    keys = f"mix local.public_keys {KEY_FILE} --force"
    version = parse_version(elixir)
    if version is not None and version >= (1, 19):
        before: tuple[str, ...] = ()
    else:
        if version is None:  # an image override whose tag names no Elixir
            keys = f"{{ ! mix help local.public_keys >/dev/null 2>&1 || {keys}; }}"
        before = (f'if [ -n "$HEX_MIRROR_KEY" ]; then {write} && {keys}; fi',)
    repo = f"mix hex.repo set hexpm --public-key {KEY_FILE} && rm {KEY_FILE}"
    if not before:
        repo = f"{write} && {repo}"
    return (
        *before,
        "mix local.hex --force",
        "mix local.rebar --force",
        f'if [ -n "$HEX_MIRROR_KEY" ]; then {repo}; fi',
    )


def builder_stage(
    project: Project,
    family: OsFamily,
    natives: tuple[NativeNeeds, ...],
    elixir: str = "",
    emulation: tuple[Instruction, ...] = (),
) -> Stage:
    """``emulation``: the steps that set the JIT flag under emulation (``plan.platforms``),
    after the build tools (apt needs no flag) and before anything that starts the BEAM."""
    packages: list[str] = []
    if any(needs.c_toolchain for needs in natives):
        packages.extend(distros.BUILD_PACKAGES[family])
    for needs in natives:
        packages.extend(needs.builder.get(family, ()))
    if project.git_deps:
        packages.append("git")
    packages.extend(p for p in compile_tools(project, family) if p not in packages)
    steps: list[Instruction] = []
    if packages:
        steps.append(
            Instruction(
                "RUN",
                install(family, packages),
                comment="Build tools for native and git dependencies",
            )
        )
    steps.extend(emulation)
    if project.hex_deps:
        steps.append(
            Instruction(
                "ARG",
                HEX_INSTALL_ARGS,
                comment="Hex and rebar, to fetch and build Hex packages (HEX_*: mirror settings;\n"
                "HEX_MIRROR_KEY: the public key of a mirror that signs with its own key)",
            )
        )
        steps.append(Instruction("RUN", _hex_install(elixir)))
    steps.append(Instruction("ENV", ("MIX_ENV=prod", "LANG=C.UTF-8")))
    steps.append(Instruction("WORKDIR", (APP_DIR,)))
    return Stage(
        "builder", "${BUILDER_IMAGE}", "Elixir and OTP with the tools to build", tuple(steps)
    )


def deps_stage(project: Project) -> Stage:
    roots = ("mix.exs", "mix.lock") if project.has_lock else ("mix.exs",)
    apps = tuple(path for path in project.mix_files if path != "mix.exs")
    steps = [
        Instruction(
            "COPY",
            (*roots, "./"),
            comment="Only what decides the dependencies: the mix files and the lock",
        )
    ]
    steps.extend(grouped_copies(apps))
    steps.extend(
        grouped_copies(
            project.mix_reads,
            comment="Files and path dependencies the mix files name: Mix loads them before it "
            "fetches anything",
        )
    )
    fetch = "mix deps.get --only prod"
    flags: list[str] = []
    if project.hex_organizations:
        # Hex reads a repository's key from HEX_REPOS_KEY (the hexpm repository's, which its
        # organisations inherit); HEX_API_KEY is its API key. The secret goes to both, for this
        # one command only: nothing is written to Hex's config.
        key = '"$(cat /run/secrets/hex_api_key)"'
        fetch = f"HEX_API_KEY={key} HEX_REPOS_KEY={key} " + fetch
        flags.append("--mount=type=secret,id=hex_api_key")
    repo_args, repo_flags, repo_commands = _hex_repos(project.hex_repos)
    if project.hex_deps:
        comment = "Self-hosted Hex repositories: URL as a build argument, key as a secret"
        steps.append(
            Instruction("ARG", (*HEX_FETCH_ARGS, *repo_args), comment=comment if repo_args else "")
        )
    steps.append(Instruction("RUN", (*repo_commands, fetch), (*flags, *repo_flags)))
    steps.extend(
        grouped_copies(
            project.compile_config,
            comment="Compile-time config: a change here recompiles the dependencies",
        )
    )
    steps.append(Instruction("RUN", ("mix deps.compile",)))
    steps.extend(_tool_installs(project))
    return Stage("deps", "builder", "Dependencies, fetched and compiled", tuple(steps))


def _hex_repos(names: tuple[str, ...]) -> tuple[list[str], list[str], list[str]]:
    """The build arguments, mounts and commands that add each self-hosted Hex repository.

    `mix hex.repo add --auth-key` writes the key into Hex's config in HEX_HOME, so HEX_HOME is a
    tmpfs for this one step: the key (and Hex's download cache) never reach a layer. The URL is
    a build argument named after the repository (`HEX_REPO_INTERNAL_URL`); the step fails with
    that name when it is not given."""
    args: list[str] = []
    commands: list[str] = ["export HEX_HOME=/tmp/hex"] if names else []
    flags: list[str] = ["--mount=type=tmpfs,target=/tmp/hex"] if names else []
    for name in names:
        slug = "".join(c if c.isalnum() else "_" for c in name)
        arg, secret = f"HEX_REPO_{slug.upper()}_URL", f"hex_repo_{slug.lower()}"
        args.append(arg)
        flags.append(f"--mount=type=secret,id={secret}")
        commands.append(
            f'mix hex.repo add {name} "${{{arg}:?pass --build-arg {arg}=URL}}" '
            f'--auth-key "$(cat /run/secrets/{secret})"'
        )
    return args, flags, commands


def _tool_installs(project: Project) -> list[Instruction]:
    """The binaries that the esbuild, tailwind, bun and dart_sass packages download on first
    use, fetched in `deps` after deps.compile: a code change does not reach this layer, so a
    rebuild never downloads them again. A tool whose `path` the config sets is the project's own
    binary and is not fetched; one whose path comes from an environment variable (the
    MIX_ESBUILD_PATH convention of the packages' docs) is fetched only when that build argument
    is not given."""
    steps: list[Instruction] = []
    env_args: list[str] = []
    for item in project.assets:
        if not item.tools:
            continue
        app = next(a for a in project.apps if a.name == item.app)
        run: list[str] = []
        for tool in item.tools:
            env = dict(item.tool_paths).get(tool)
            task = f"mix {assets_reader.install_task(tool)}"
            if env is None:
                run.append(task)
            elif env:
                env_args.append(env)
                run.append(f'{{ [ -n "${env}" ] || {task}; }}')
        if run:
            if app.path != ".":
                run[0] = f"cd {app.path} && {run[0]}"
            steps.append(
                Instruction(
                    "RUN",
                    tuple(run),
                    comment=(
                        f"The {' and '.join(item.tools)} "
                        f"{'binaries' if len(item.tools) > 1 else 'binary'}, fetched once: a code "
                        "change does not download "
                        f"{'them' if len(item.tools) > 1 else 'it'} again"
                    ),
                )
            )
    if env_args and steps:
        # The ARG goes right before the first step that reads it, under that step's comment.
        steps[0:1] = [
            Instruction("ARG", tuple(sorted(set(env_args))), comment=steps[0].comment),
            replace(steps[0], comment=""),
        ]
    return steps
