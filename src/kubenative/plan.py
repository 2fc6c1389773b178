"""Project + Options → Plan: every decision about stages, images, packages and layer order.

Pure: no file system, no subprocess. The renderers only format what this module decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from kubenative import ignore, images, node_images, runtime_minimal
from kubenative.errors import UserError
from kubenative.ignore import IgnoreGroup
from kubenative.images import OsFamily
from kubenative.options import Options
from kubenative.project import assets as assets_reader
from kubenative.project import commands, native, releases, toolchain
from kubenative.project.model import App, Assets, Project
from kubenative.project.native import NativeNeeds

APP_DIR = "/app"

# Hex's mirror settings, as build arguments (`kubenative build --hex-mirror URL`, or
# `--build-arg NAME=VALUE`): HEX_MIRROR is the Hex repository mirror (`deps.get`, and
# `local.hex`/`local.rebar` before Elixir 1.15), HEX_BUILDS_URL where Elixir >= 1.15 fetches Hex
# and rebar, HEX_CACERTS_PATH a CA bundle inside the build for both. They are not secrets. Each
# is declared without a default, right before the step that reads it: BuildKit puts an ARG into
# a RUN's environment, and so into its cache key, only when it has a value, so an unset one
# leaves every step cached as it was (an `ARG X=` default would be a value, and set X="").
HEX_INSTALL_ARGS = ("HEX_MIRROR", "HEX_BUILDS_URL", "HEX_CACERTS_PATH")
HEX_FETCH_ARGS = ("HEX_MIRROR", "HEX_CACERTS_PATH")
# A company npm registry and its token come as the user's .npmrc, through a secret mount: never
# in a layer, never in the cache key (`--secret id=npmrc,src=$HOME/.npmrc`). Without the secret
# BuildKit mounts nothing and npm, yarn and pnpm use their default registry. The official Node
# images build as root, whose user config is /root/.npmrc.
NPMRC_MOUNT = "--mount=type=secret,id=npmrc,target=/root/.npmrc"


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


def make_plan(project: Project, options: Options) -> Plan:
    warnings = list(project.warnings)
    family: OsFamily = "alpine" if options.os == "alpine" else "debian"
    elixir, otp, os_release, slim = _toolchain(project, options, family, warnings)
    release = _release(project, options)
    node_assets = tuple(a for a in project.assets if _needs_node(a))
    node = project.node.value if project.node else None
    if options.node:
        node = node_images.matching(options.node, family)
        if node is None:
            raise UserError(
                f"--node {options.node}: no official node image of that version is known to "
                "kubenative; give a published version or pass --node-image"
            )
    if node_assets and node is None:
        node = images.DEFAULT_NODE
    natives = _native_needs(project)
    _rust_warnings(project, family, os_release, warnings)
    port = options.port or project.port

    image_rows = [
        (
            "BUILDER_IMAGE",
            options.builder_image or images.builder_image(elixir, otp, family, os_release, slim),
            f"Elixir {elixir} on OTP {otp}",
        ),
    ]
    if node_assets and node:
        image_rows.append(
            (
                "NODE_IMAGE",
                options.node_image or images.node_image(node, family, os_release),
                _node_what(node, options.node_image),
            )
        )
    erts = _includes_erts(project, release)
    if not erts and options.runtime_image:
        warnings.append(
            f"--runtime-image is unused: release `{release}` sets include_erts: false, so it "
            "runs on the builder image, which carries the OTP it was built with"
        )
    if erts:
        image_rows.append(
            (
                "RUNTIME_IMAGE",
                options.runtime_image or images.runtime_image(family, os_release),
                "the builder's OS release, nothing else",
            )
        )
    if options.node_image and not node_assets:
        warnings.append("--node-image is unused: the project has no npm/yarn/pnpm assets")
    pins = dict(options.pins)
    image_rows = [
        (arg, f"{image}@{pins[image]}" if image in pins else image, what)
        for arg, image, what in image_rows
    ]

    stages = [
        _builder(project, family, natives),
        _deps(project),
    ]
    if node_assets:
        stages.append(_frontend(node_assets, family))
    stages.append(_releaser(project, release, bool(node_assets), warnings))
    tools = _tools(project, family, options.runtime, warnings)
    if options.runtime == "minimal":
        if not erts:
            raise UserError(
                f"--runtime minimal: release `{release}` sets include_erts: false, so it carries "
                "no Erlang to run on scratch; use --runtime slim or include ERTS in the release"
            )
        stages.extend(
            runtime_minimal.stages(
                release,
                _runtime_packages(family, os_release, natives),
                _runtime_env(project, port),
                port if project.http_server else None,
                options.user_id,
                _start(project, release),
            )
        )
    else:
        stages.append(
            _runtime(project, family, os_release, release, port, options.user_id, natives, tools)
        )
        if not erts:
            stages[-1] = replace(
                stages[-1],
                base="${BUILDER_IMAGE}",
                comment="The release on the builder's image: include_erts: false leaves Erlang "
                f"out of the release, which runs the image's own OTP {otp}",
            )
    if project.boot_reads:
        stages[-1] = _with_boot_files(stages[-1], project.boot_reads, options.user_id)
    if project.context_app != ".":
        stages = _in_poncho(project, stages)
    ignore_groups = ignore.rules(project, _copied_paths(stages), options.dockerfile)
    return Plan(
        name=project.name,
        os_family=family,
        os_release=os_release,
        elixir=elixir,
        otp=otp,
        node=node if node_assets else None,
        images=tuple(image_rows),
        release=release,
        release_tool=project.release_tool or "mix",
        stages=tuple(stages),
        ignore=ignore_groups,
        port=port,
        user_id=options.user_id,
        dockerfile=options.dockerfile,
        warnings=tuple(warnings),
    )


def _includes_erts(project: Project, release: str) -> bool:
    """Whether the release carries ERTS (Mix's default); without it, the runtime must be an
    image with the same Erlang/OTP as the builder: the builder image itself."""
    return next((r.include_erts for r in project.releases if r.name == release), True)


def _toolchain(
    project: Project, options: Options, family: OsFamily, warnings: list[str]
) -> tuple[str, str, str, bool]:
    """Elixir, OTP, the one OS release that the builder and runtime images share, and whether
    the builder's tag is the -slim one."""
    hint = _override_release(options, family)
    if options.builder_image:
        # The header states what the build uses: the override's tag, or "unknown".
        facts = images.image_facts(options.builder_image)
        return facts.elixir or "unknown", facts.otp or "unknown", hint or "", True
    beam = toolchain.choose_beam(
        project.version_evidence,
        project.elixir_requirements,
        family,
        hint,
        options.elixir,
        options.otp,
    )
    warnings.extend(w for w in beam.warnings if w not in warnings)
    elixir, otp = beam.elixir.value, beam.otp.value
    if beam.build is not None:
        return elixir, otp, beam.build.release, beam.build.slim
    candidates = images.builds_for(None, None, family, hint)
    if not candidates:
        return elixir, otp, hint or images.default_build(family).release, True
    same = images.builds_for(elixir, None, family, hint) or images.builds_for(
        None, otp, family, hint
    )
    return elixir, otp, (same or (images.nearest_build(elixir, candidates),))[0].release, True


def _node_what(node: str, override: str | None) -> str:
    """The Node version the frontend builds with: the override's tag says it, or nobody does."""
    if override is None:
        return f"Node.js {node}"
    stated = images.image_facts(override).version
    return f"Node.js {stated}" if stated else "Node.js (version unknown: not in the image's tag)"


def _override_release(options: Options, family: OsFamily) -> str | None:
    """The OS release that --os-release or the overriding builder/runtime images' tags name.

    The builder and the runtime must be one release (the runtime ships the libraries the
    builder's ERTS and NIFs link against), so tags that disagree are refused. The Node image may
    be any release: the frontend stage only makes static files."""
    said: list[tuple[str, images.ImageFacts]] = []
    if options.os_release:
        said.append(("--os-release", images.ImageFacts(family, options.os_release)))
    for flag, ref in (
        ("--builder-image", options.builder_image),
        ("--runtime-image", options.runtime_image),
    ):
        if ref is None:
            continue
        facts = images.image_facts(ref)
        if facts.family is not None and facts.family != family:
            raise UserError(
                f"{flag} {ref} is built on {facts.family} but the build is for {family}; "
                f"pass --os {facts.family}"
            )
        if facts.release is not None:
            said.append((f"{flag} {ref}", facts))
    for where, facts in said[1:]:
        first, first_facts = said[0]
        if not _same_release(first_facts, facts):
            raise UserError(
                f"{first} says {first_facts.release} but {where} says {facts.release}: the "
                "builder and the runtime must be one OS release; use images of one release"
            )
    if said:
        return said[0][1].release
    if options.builder_image or options.runtime_image:
        raise UserError(
            "the overriding image tags name no OS release: pass --os-release (e.g. bookworm, "
            "or 3.19.1 for alpine) so the runtime's packages match the images"
        )
    return None


def _same_release(a: images.ImageFacts, b: images.ImageFacts) -> bool:
    """``bookworm`` and ``bookworm-20240612`` agree; Alpine ``3.19`` and ``3.19.1`` agree."""
    if a.family == "alpine":
        left, right = (a.release or "").split("."), (b.release or "").split(".")
        return left[: len(right)] == right[: len(left)]
    return a.codename == b.codename


def _release(project: Project, options: Options) -> str:
    names = [release.name for release in project.releases]
    if not names and project.umbrella:
        # `mix release` refuses an umbrella without `releases:`, whatever name it is given.
        raise UserError(
            "mix.exs: an umbrella needs a `releases:` entry naming the apps to ship; add to the "
            f"root project: {releases.suggested_releases(project.name, project.apps)}"
        )
    if options.release:
        if names and options.release not in names:
            raise UserError(
                f"--release {options.release}: the project defines {', '.join(names)}; "
                "pick one of those"
            )
        return options.release
    if not names:
        raise UserError(
            "the project defines no release; add `releases:` to mix.exs or give --release NAME"
        )
    return names[0]


def _needs_node(assets: Assets) -> bool:
    return assets.node


def _rust_warnings(
    project: Project, family: OsFamily, os_release: str, warnings: list[str]
) -> None:
    """A crate that declares a newer `rust-version` than the distribution's rustc would fail
    in cargo: say so (rustup in a --builder-image is the way out)."""
    if family != "debian":
        return
    for dep in project.native_deps:
        wanted = dep.needs.rust_version
        shipped = native.rust_too_old(wanted, os_release) if wanted else None
        if shipped:
            warnings.append(
                f"{dep.name} needs Rust {wanted} (rust-version in Cargo.toml) but Debian "
                f"{os_release.split('-', 1)[0]} ships rustc {shipped}: install Rust with rustup "
                "in your own --builder-image, or build on a newer --os-release"
            )


def _native_needs(project: Project) -> tuple[NativeNeeds, ...]:
    return tuple(dep.needs for dep in project.native_deps)


def _install(family: OsFamily, packages: list[str]) -> tuple[str, ...]:
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


def _builder(project: Project, family: OsFamily, natives: tuple[NativeNeeds, ...]) -> Stage:
    packages: list[str] = []
    if any(needs.c_toolchain for needs in natives):
        packages.extend(images.BUILD_PACKAGES[family])
    for needs in natives:
        packages.extend(needs.builder.get(family, ()))
    if project.git_deps:
        packages.append("git")
    steps: list[Instruction] = []
    if packages:
        steps.append(
            Instruction(
                "RUN",
                _install(family, packages),
                comment="Build tools for native and git dependencies",
            )
        )
    if project.hex_deps:
        steps.append(
            Instruction(
                "ARG",
                HEX_INSTALL_ARGS,
                comment="Hex and rebar, to fetch and build Hex packages (HEX_*: mirror settings)",
            )
        )
        steps.append(Instruction("RUN", ("mix local.hex --force", "mix local.rebar --force")))
    steps.append(Instruction("ENV", ("MIX_ENV=prod", "LANG=C.UTF-8")))
    steps.append(Instruction("WORKDIR", (APP_DIR,)))
    return Stage(
        "builder", "${BUILDER_IMAGE}", "Elixir and OTP with the tools to build", tuple(steps)
    )


def _grouped_copies(
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


def _deps(project: Project) -> Stage:
    roots = ("mix.exs", "mix.lock") if project.has_lock else ("mix.exs",)
    apps = tuple(path for path in project.mix_files if path != "mix.exs")
    steps = [
        Instruction(
            "COPY",
            (*roots, "./"),
            comment="Only what decides the dependencies: the mix files and the lock",
        )
    ]
    steps.extend(_grouped_copies(apps))
    steps.extend(
        _grouped_copies(
            project.mix_reads,
            comment="Files the mix files read: Mix loads them before it fetches anything",
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
        _grouped_copies(
            project.compile_config,
            comment="Compile-time config: a change here recompiles the dependencies",
        )
    )
    steps.append(Instruction("RUN", ("mix deps.compile",)))
    steps.extend(_tool_installs(project))
    return Stage("deps", "builder", "Dependencies, fetched and compiled", tuple(steps))


# What node-gyp needs to compile a native module when no prebuilt binary fits (the official
# `-slim` and Alpine node images have none of it).
NODE_GYP_PACKAGES: dict[OsFamily, tuple[str, ...]] = {
    "debian": ("g++", "make", "python3"),
    "alpine": ("g++", "make", "python3"),
}


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


def _frontend(assets: tuple[Assets, ...], family: OsFamily) -> Stage:
    """Node builds, in parallel with `deps` (unless they read Phoenix's JS from it). The package
    manager and the install come first, so a change to the sources reruns only the build."""
    steps: list[Instruction] = []
    if any(item.native_modules for item in assets):
        steps.append(
            Instruction(
                "RUN",
                _install(family, list(NODE_GYP_PACKAGES[family])),
                comment="The lock has native modules (node-gyp): tools to compile them",
            )
        )
    for item in assets:
        workdir = APP_DIR if item.path == "." else f"{APP_DIR}/{item.path}"
        where = "the project root" if item.path == "." else f"{item.path}/"
        tool = _manager_install(item)
        steps.append(
            Instruction(
                "WORKDIR",
                (workdir,),
                comment=f"Assets of {item.app}: {_manager_name(item)}, from {where}",
            )
        )
        if tool:
            steps.append(Instruction("RUN", (tool,), (NPMRC_MOUNT,)))
        for dep in item.deps_refs:
            folder = f"{APP_DIR}/deps" if dep == "*" else f"{APP_DIR}/deps/{dep}"
            steps.append(Instruction("COPY", (folder, folder), ("--from=deps",)))
        prefix = "" if item.path == "." else f"{item.path}/"
        manifest = [f"{prefix}package.json"]
        if item.lockfile:
            manifest.append(f"{prefix}{item.lockfile}")
        files = [f for f in item.install_files if "/" not in f]
        steps.append(Instruction("COPY", (*manifest, *(f"{prefix}{f}" for f in files), "./")))
        for folder in (f for f in item.install_files if "/" in f):
            steps.append(Instruction("COPY", (f"{prefix}{folder}", f"./{folder}")))
        steps.append(Instruction("RUN", (_install_command(item),), (NPMRC_MOUNT,)))
        if not item.commands:
            continue
        if item.path != ".":
            steps.append(Instruction("COPY", (f"{item.path}/", "./")))
        reads = [
            Instruction("COPY", (path, f"{APP_DIR}/{path}"))
            for path in item.reads
            if item.path == "." or not path.startswith("deps/")
        ]
        if reads:
            named = ", ".join(f"{p}/" if "." not in p.rsplit("/", 1)[-1] else p for p in item.reads)
            reads[0] = Instruction(
                "COPY",
                reads[0].args,
                comment=(
                    f"Read by the build from outside {item.path}/ ({named}): a change there "
                    "reruns the build, not the install"
                    if item.path != "."
                    else f"The build's inputs ({named}): a change there reruns the build"
                ),
            )
        steps.extend(reads)
        steps.append(Instruction("RUN", item.commands))
    return Stage("frontend", "${NODE_IMAGE}", "Static assets, built with Node", tuple(steps))


def _manager(assets: Assets) -> str:
    """The package manager that installs: the pipeline's, or for a Mix-driven build that reads
    node_modules, the one whose lock the project has."""
    if assets.pipeline in ("npm", "yarn", "pnpm", "bun"):
        return assets.pipeline
    locks = dict(assets_reader.LOCKFILES)
    return locks.get(assets.lockfile or "", "npm")


def _manager_name(assets: Assets) -> str:
    manager = _manager(assets)
    if manager == "yarn":
        manager = "yarn 2+" if assets.yarn_berry else "yarn 1"
    if assets.pipeline == "mix":
        return f"{manager} installs the packages Mix's build reads"
    return manager


def _manager_install(assets: Assets) -> str | None:
    """The lock's package manager, installed with npm where the image lacks it. Official Node
    images ship yarn 1 and (until Node 25) corepack, but slim, distroless and distribution
    builds of Node may have neither; npm is always there. The version is packageManager's."""
    version = assets.manager.split("@", 1)[1] if assets.manager and "@" in assets.manager else None
    version = version.split("+", 1)[0] if version else None
    manager = _manager(assets)
    if manager == "pnpm":
        return f"npm install -g --no-audit --no-fund pnpm@{version or '8'}"
    if manager == "bun":
        return f"npm install -g --no-audit --no-fund bun@{version or '1'}"
    if manager == "yarn" and assets.yarn_berry:
        # Yarn 2+ from its npm package: corepack would fetch it from Yarn's own host (unless
        # COREPACK_NPM_REGISTRY is set) and is gone from Node 25 images. --force replaces the
        # yarn 1 that official Node images ship.
        return f"npm install -g --force --no-audit --no-fund @yarnpkg/cli-dist@{version or '4'}"
    if manager == "yarn":
        return (
            "command -v yarn >/dev/null || npm install -g --no-audit --no-fund "
            f"yarn@{version or '1'}"
        )
    return None


def _install_command(assets: Assets) -> str:
    locked = assets.lockfile is not None
    manager = _manager(assets)
    if manager == "yarn" and assets.yarn_berry:
        return "yarn install --immutable" if locked else "yarn install"
    if manager == "yarn":
        return "yarn install --frozen-lockfile" if locked else "yarn install"
    if manager == "pnpm":
        return "pnpm install " + ("--frozen-lockfile" if locked else "--no-frozen-lockfile")
    if manager == "bun":
        return "bun install --frozen-lockfile" if locked else "bun install"
    return "npm ci --no-audit --no-fund" if locked else "npm install --no-audit --no-fund"


def _releaser(project: Project, release: str, has_frontend: bool, warnings: list[str]) -> Stage:
    # Files the code reads while compiling change less often than the code: they come first,
    # so a code change leaves their layers cached.
    steps = _grouped_copies(
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
        _grouped_copies(
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


def _tools(
    project: Project, family: OsFamily, runtime: str, warnings: list[str]
) -> tuple[str, ...]:
    """The packages that provide the programs the application runs (``project.commands``,
    table in ``kubenative.project.commands``). The minimal runtime has busybox and nothing
    else, so it refuses a program busybox does not provide."""
    packages: set[str] = set()
    for command in project.commands:
        if command.name is None:
            warnings.append(
                f"{command.where}: {command.call} runs a program named at run time; kubenative "
                "cannot tell which, so the image may lack it (install it with your own "
                "--runtime-image)"
            )
            continue
        if runtime == "minimal":
            if command.name not in runtime_minimal.APPLETS:
                raise UserError(
                    f"{command.where}: {command.call} runs `{command.name}`, which --runtime "
                    "minimal cannot carry (it ships busybox only); use --runtime slim, which "
                    "installs it"
                )
            continue
        package = commands.package(command.name, family)
        if package is not None:
            packages.add(package)
        elif not commands.known(command.name):
            warnings.append(
                f"{command.where}: {command.call} runs `{command.name}`, which kubenative does "
                "not know a package for; install it with your own --runtime-image"
            )
        elif command.name not in commands.BASE and commands.package(command.name, "debian"):
            warnings.append(
                f"{command.where}: {command.call} runs `{command.name}`, which {family} has "
                "no package for; install it with your own --runtime-image"
            )
    return tuple(sorted(packages))


def _runtime_packages(
    family: OsFamily, os_release: str, natives: tuple[NativeNeeds, ...]
) -> tuple[str, ...]:
    packages = list(images.runtime_packages(family, os_release))
    for needs in natives:
        packages.extend(needs.runtime.get(family, ()))
    return tuple(packages)


def _runtime_env(project: Project, port: int) -> Instruction:
    """The runtime's environment. The port goes in the variable the config reads it from
    (PORT when it cannot tell); a release that listens nowhere gets no port. Endpoints are made
    to serve without editing the project (see ``kubenative.project.endpoints``): a variable that
    guards `server: true` is set, and an endpoint with no `server:` setting at all gets the
    `:phoenix` application's `serve_endpoints` setting from the VM's command line (ERL_AFLAGS
    is read by every `erl` the release starts; a user's own ERL_AFLAGS at `docker run`
    replaces it)."""
    env = ["LANG=C.UTF-8", f"HOME={APP_DIR}"]
    if project.http_server:
        env.append(f"{project.port_env or 'PORT'}={port}")
    # RELEASE_* are set by the release's own script (Phoenix 1.6's runtime.exs checks
    # `System.get_env("PHX_SERVER") && System.get_env("RELEASE_NAME")`): never overwritten.
    guards = {
        name
        for e in project.endpoints
        if e.server == "env"
        for name in e.server_env
        if not name.startswith("RELEASE_")
    }
    if project.web_apps:
        guards.add("PHX_SERVER")  # Phoenix's own convention (phx.gen.release's bin/server)
    env.extend(f"{name}=true" for name in sorted(guards))
    if project.release_tool == "distillery":
        env.append("REPLACE_OS_VARS=true")
    unset = _not_serving(project)
    if not unset:
        return Instruction("ENV", tuple(env))
    env.append('ERL_AFLAGS="-phoenix serve_endpoints true"')
    return Instruction(
        "ENV",
        tuple(env),
        comment=f"{unset} has no `server:` setting in prod config, so Phoenix would not serve "
        "it: the VM starts with the :phoenix app's serve_endpoints setting on",
    )


def _expose(project: Project, port: int) -> tuple[Instruction, ...]:
    return (Instruction("EXPOSE", (str(port),)),) if project.http_server else ()


def _not_serving(project: Project) -> str:
    """The endpoints that would not start their HTTP server, named for a comment; "" when
    every endpoint serves (a web app whose endpoint config cannot be found counts as one)."""
    if project.serve_endpoints:
        return ""
    names = [e.module for e in project.endpoints if e.server == "unset"]
    if not project.endpoints and project.web_apps:
        names = [f"the endpoint of {app.name}" for app in project.web_apps]
    return ", ".join(names)


def _start(project: Project, release: str) -> tuple[Instruction, ...]:
    """How the container starts the release: the project's own start script when it ships one
    in rel/overlays/bin/ (it may set variables, e.g. PHX_SERVER, before starting), else the
    release script with `start` (Mix) or `foreground` (Distillery: `start` would daemonize)."""
    if project.start_script and project.release_tool == "mix":
        templates = next((r.templates for r in project.releases if r.name == release), "rel")
        return (
            Instruction(
                "CMD",
                (f"{APP_DIR}/bin/{project.start_script}",),
                comment=f"The project's own start script ({templates}/overlays/bin/"
                f"{project.start_script})"
                f"; other commands: /app/bin/{release} eval|remote|rpc",
            ),
        )
    command = "foreground" if project.release_tool == "distillery" else "start"
    return (
        Instruction("ENTRYPOINT", (f"{APP_DIR}/bin/{release}",)),
        Instruction("CMD", (command,)),
    )


def _runtime(
    project: Project,
    family: OsFamily,
    os_release: str,
    release: str,
    port: int,
    user_id: int,
    natives: tuple[NativeNeeds, ...],
    tools: tuple[str, ...],
) -> Stage:
    packages = [*_runtime_packages(family, os_release, natives), *tools]
    if family == "alpine":
        user = (
            f"addgroup -S -g {user_id} app",
            f"adduser -S -D -u {user_id} -G app -h {APP_DIR} -s /bin/sh app",
        )
    else:
        user = _debian_user(user_id)
    owner = f"{user_id}:{user_id}"
    steps = (
        Instruction(
            "RUN",
            _install(family, packages),
            comment="Only the shared libraries the release links against"
            + (f", and the programs it runs ({', '.join(tools)})" if tools else ""),
        ),
        Instruction(
            "RUN",
            (*user, f"install -d -o {user_id} -g {user_id} {APP_DIR}"),
            comment=f"An unprivileged user ({user_id}) that owns the release",
        ),
        Instruction("WORKDIR", (APP_DIR,)),
        _runtime_env(project, port),
        Instruction(
            "COPY",
            (f"{APP_DIR}/_build/prod/rel/{release}", "./"),
            ("--from=releaser", f"--chown={owner}"),
        ),
        Instruction("USER", (owner,)),
        *_expose(project, port),
        *_start(project, release),
        *_revision(),
    )
    return Stage(
        "runtime", "${RUNTIME_IMAGE}", "The release on the bare OS, as a non-root user", steps
    )


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


def _revision() -> tuple[Instruction, ...]:
    """The commit as a label, last: an ARG busts the cache where it is first used, so the git
    sha (``kubenative build`` passes it) changes only this final metadata step."""
    return (
        Instruction("ARG", ("GIT_SHA",), comment="The commit it was built from, last of all"),
        Instruction("LABEL", ("org.opencontainers.image.revision=$GIT_SHA",)),
    )


def _with_boot_files(stage: Stage, paths: tuple[str, ...], user_id: int) -> Stage:
    """The runtime stage with the files the release reads by relative path at boot, copied
    where it looks for them: its working directory, /app, stands for the project root. They
    come before the release, so a code change leaves their layers cached."""
    owner = f"{user_id}:{user_id}"
    copies = _grouped_copies(
        paths,
        (f"--chown={owner}",),
        comment="Files the release reads at boot by a path relative to its folder",
    )
    steps = list(stage.steps)
    at = next(
        i for i, step in enumerate(steps) if step.op == "COPY" and "--from=releaser" in step.flags
    )
    release = steps[at]
    if not release.comment:  # keep the release apart from the boot files' group
        steps[at] = replace(release, comment="The release")
    return Stage(stage.name, stage.base, stage.comment, (*steps[:at], *copies, *steps[at:]))


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
