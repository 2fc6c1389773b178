"""The `frontend` stage: the Node install and build of the project's assets."""

from __future__ import annotations

from kubenative.catalog import distros
from kubenative.catalog.distros import OsFamily
from kubenative.plan.model import APP_DIR, Instruction, Stage
from kubenative.plan.os import install
from kubenative.plan.versions import python2_node_gyp
from kubenative.project import assets as assets_reader
from kubenative.project.model import Assets, Step

# A company npm registry and its token come as the user's .npmrc, through a secret mount: never
# in a layer, never in the cache key (`--secret id=npmrc,src=$HOME/.npmrc`). Without the secret
# BuildKit mounts nothing and npm, yarn and pnpm use their default registry. The official Node
# images build as root, whose user config is /root/.npmrc.
NPMRC_MOUNT = "--mount=type=secret,id=npmrc,target=/root/.npmrc"


# What node-gyp needs to compile a native module when no prebuilt binary fits (the official
# `-slim` and Alpine node images have none of it).
NODE_GYP_PACKAGES: dict[OsFamily, tuple[str, ...]] = {
    "debian": ("g++", "make", "python3"),
    "alpine": ("g++", "make", "python3"),
}


def node_gyp_tools(
    assets: tuple[Assets, ...], family: OsFamily, release: str, warnings: list[str]
) -> Instruction | None:
    """The step that installs node-gyp's compilers and Python (2 as well, for an old node-gyp)
    when a lock has native modules. ``release``: the Node image's OS release ("" unknown)."""
    if not any(item.native_modules for item in assets):
        return None
    packages = list(NODE_GYP_PACKAGES[family])
    comment = "The lock has native modules (node-gyp): tools to compile them"
    old = python2_node_gyp(assets)
    python2 = distros.python2_package(family, release) if old and release else None
    if old and python2:
        packages.append(python2)
        comment += f", and Python 2: node-gyp {old[0]} ({old[1]}) needs it"
    elif old and not release:
        warnings.append(
            f"{old[1]}: node-gyp {old[0]} runs only Python 2, and kubenative cannot tell which "
            "OS release --node-image is on, so it installs Python 3 only: make sure the image "
            "has Python 2 (`python2` or `python` on PATH), or native modules fail to compile"
        )
    return Instruction("RUN", install(family, packages), comment=comment)


def needs_node(assets: Assets) -> bool:
    return assets.node


def frontend_stage(
    assets: tuple[Assets, ...],
    family: OsFamily,
    release: str = "",
    warnings: list[str] | None = None,
) -> Stage:
    """Node builds, in parallel with `deps` (unless they read Phoenix's JS from it). The package
    manager and the install come first, so a change to the sources reruns only the build.
    ``release``: the Node image's OS release, for what its build tools install."""
    steps: list[Instruction] = []
    tools = node_gyp_tools(assets, family, release, [] if warnings is None else warnings)
    if tools is not None:
        steps.append(tools)
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
        steps.append(Instruction("RUN", (_install_command(item),), (NPMRC_MOUNT,), tools=NODE))
        early, late = node_steps(item)
        if not early and not late:
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
        if any(step.bin_path for step in (*early, *late)):
            steps.append(
                Instruction(
                    "ENV",
                    (f"PATH={workdir}/node_modules/.bin:$PATH",),
                    comment="The packages' programs on PATH, as `npm run` puts them there: "
                    "for the parts of a script that crosses tools, or a Brunch build",
                )
            )
        if early:
            steps.append(
                Instruction("RUN", tuple(step.run_from(item.path) for step in early), tools=NODE)
            )
        if late:
            steps.append(
                Instruction(
                    "COPY",
                    (f"{APP_DIR}/", f"{APP_DIR}/"),
                    ("--from=compiled",),
                    comment="The rest of the build comes after Mix steps whose output it may "
                    "read: the compiled project first",
                )
            )
            steps.append(
                Instruction("RUN", tuple(step.run_from(item.path) for step in late), tools=NODE)
            )
    return Stage("frontend", "${NODE_IMAGE}", "Static assets, built with Node", tuple(steps))


NODE = ("node",)


def node_steps(assets: Assets) -> tuple[tuple[Step, ...], tuple[Step, ...]]:
    """(The Node steps that run first, those that need the compiled project): a Node step after
    a Mix step that may write what it reads runs after ``mix compile``, in the same stage."""
    node = [step for step in chain(assets, assets.path) if step.tool == "node"]
    early = tuple(step for step in node if "compiled" not in step.needs)
    late = tuple(step for step in node if "compiled" in step.needs)
    return early, late


def chain(assets: Assets, app_path: str) -> tuple[Step, ...]:
    """The build's steps: those the reader followed, or for an Assets record made without
    them, its Node commands (in the pipeline's folder) and its Mix tasks (in the app's folder:
    the alias as a whole when it has no Node step, as the project wrote it)."""
    if assets.steps:
        return assets.steps
    node = tuple(Step(c, assets.path, "node", "package.json") for c in assets.commands)
    if assets.alias and not node and assets.mix_steps:
        whole = Step(f"mix {assets.alias}", app_path, "mix", "mix.exs", tasks=assets.mix_steps)
        return (whole,)
    mix = tuple(Step(f"mix {t}", app_path, "mix", "mix.exs", tasks=(t,)) for t in assets.mix_steps)
    return node + mix


def _run(steps: tuple[Step, ...], folder: str) -> Instruction:
    return Instruction("RUN", tuple(step.run_from(folder) for step in steps), tools=NODE)


def needs_compiled(assets: tuple[Assets, ...]) -> bool:
    return any(node_steps(item)[1] for item in assets)


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
