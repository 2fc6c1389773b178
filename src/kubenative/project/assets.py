"""Read how one app builds its static assets: the Mix alias, package.json, the lock, the configs.

Real projects build assets in more ways than one (issue 10): a Mix alias that mixes esbuild and
tailwind tasks with an npm step and `phx.digest`; `deploy:*` scripts; yarn, pnpm and bun locks;
a package.json at the project root that serves every app of an umbrella; Tailwind configs whose
`content` globs (or Tailwind 4 `@source` lines) read templates under `lib/`. This module turns
what the files say into an :class:`Assets` record. It only reads files.

JavaScript and CSS are not Elixir: the paths their configs name are taken from their string
literals (every quoted string that is a relative path), which is what a bundler resolves too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from kubenative.errors import UserError
from kubenative.project import config_files, deploy_files, shell, steps
from kubenative.project.model import App, Assets, Pipeline, Step

LOCKFILES: tuple[tuple[str, Pipeline], ...] = (
    ("package-lock.json", "npm"),
    ("npm-shrinkwrap.json", "npm"),
    ("yarn.lock", "yarn"),
    ("pnpm-lock.yaml", "pnpm"),
    ("bun.lock", "bun"),
    ("bun.lockb", "bun"),
)
# Mix packages that download a binary on first use, and the task that fetches it.
BINARY_TASKS = {"esbuild": "esbuild", "tailwind": "tailwind", "bun": "bun", "sass": "dart_sass"}
INSTALL_TASKS = {
    "esbuild": "esbuild.install",
    "tailwind": "tailwind.install",
    "bun": "bun.install",
    "dart_sass": "sass.install",
}
# Config files whose string literals name the pipeline's inputs.
# Brunch (Phoenix <= 1.3) reads brunch-config.js or .coffee; at the project root (Phoenix <= 1.2)
# its `paths.watched` names the source folders (`web/static`), which the build then needs.
CONFIG_GLOBS = (
    "brunch-config.js",
    "brunch-config.coffee",
    "tailwind.config.*",
    "postcss.config.*",
    "vite.config.*",
    "webpack.config.*",
    "webpack/*.js",
    "webpack/*.cjs",
    "webpack/*.mjs",
    "build.js",
    "build.mjs",
    "esbuild.config.*",
    "rollup.config.*",
    "css/*.css",
    "css/*.scss",
    "styles/*.css",
    "src/*.css",
)
STRING = re.compile(r"""'([^'\n]*)'|"([^"\n]*)"|`([^`$\n]*)`""")
SOURCE_LINE = re.compile(r"""@(?:source|config|import|plugin)\s+(?:['"])([^'"]+)['"]""")
GLOB_CHARS = "*?[{"
# The package managers' own files that an install reads besides package.json and the lock:
# yarn 2+ settings (nodeLinker, yarnPath) and its committed release, plugins and patches, pnpm's
# workspace and hooks, bun's config. (.npmrc is left out: registry settings and tokens come
# through the npmrc build secret, never a layer.)
INSTALL_FILES = (
    ".yarnrc",
    ".yarnrc.yml",
    "pnpm-workspace.yaml",
    ".pnpmfile.cjs",
    "bunfig.toml",
    ".yarn/releases",
    ".yarn/plugins",
    ".yarn/patches",
)
# ``reading.read_text``: reads a project file; a decoding error becomes one clear line.
_Reader = Callable[[Path, Path], str]


@dataclass(frozen=True)
class PackageJson:
    path: str  # relative to the project root
    scripts: dict[str, str]
    manager: str | None  # from `packageManager`, e.g. "pnpm@8.15.4"
    data: dict[str, object]


@dataclass(frozen=True)
class _Chain:
    """The build's steps in order, each with its tool (``project/steps.py``), and the Mix
    alias they come from (``assets.deploy``, else ``assets.build``, or the ``release`` alias
    when it runs a Node step)."""

    name: str | None
    steps: tuple[Step, ...]
    tools: tuple[str, ...]  # the binaries its Mix tasks download (BINARY_TASKS)

    @property
    def node(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.tool == "node")

    @property
    def mix_steps(self) -> tuple[str, ...]:
        """The Mix tasks (``esbuild default --minify``), as the alias names them."""
        return mix_tasks(self.steps)


def mix_tasks(chain: tuple[Step, ...]) -> tuple[str, ...]:
    """The Mix tasks a chain runs, also those inside an alias that runs whole."""
    return tuple(task for step in chain for task in step.tasks)


def read_assets(
    root: Path,
    app: App,
    aliases: dict[str, tuple[str, ...]],
    dep_names: frozenset[str],
    warnings: list[str],
    read_text: _Reader,
    claims_root: bool,
    follower: steps.Follower | None = None,
    deploy: tuple[deploy_files.Commands, ...] = (),
) -> Assets | None:
    """The pipeline of ``app``, or None when it has no assets at all. ``claims_root``: this app
    owns a package.json at the project root (the one web app of a single project, or the first
    web app of an umbrella whose root-level pipeline serves every app), and the project's
    ``release`` alias. ``follower`` follows scripts and aliases across the project;
    ``deploy``: what the project's own deploy files run (``project/deploy_files.py``)."""
    follower = follower or steps.Follower(
        steps.Project(root, read_text, {app.path: aliases}), warnings
    )
    name, chain = _alias_chain(app, aliases, follower, claims_root)
    node = tuple(s for s in chain if s.tool == "node")
    pipeline_root = _pipeline_root(root, app, node, claims_root)
    package = (
        _package_json(root, pipeline_root, read_text)
        if (root / pipeline_root / "package.json").is_file()
        else None
    )
    mix_steps = mix_tasks(chain)
    alias = _Chain(name, chain, _binary_tools(mix_steps, dep_names))
    static = "priv/static" if app.path == "." else f"{app.path}/priv/static"
    if package is None:
        return _without_package(root, app, pipeline_root, static, alias)
    return _with_package(
        root,
        app,
        pipeline_root,
        static,
        alias,
        package,
        read_text,
        warnings,
        follower,
        deploy,
        dep_names,
    )


# Mix tasks the Dockerfile runs by name, besides the release and the asset alias.
RUN_BY_NAME = ("deps.get", "deps.compile", "compile", "phx.digest")


def shadowed_tasks(follower: steps.Follower, folders: tuple[str, ...]) -> list[str]:
    """One warning for each alias of a task the Dockerfile runs by name that runs a Node step:
    the Elixir image has no Node, and kubenative runs these tasks as they are named."""
    found = []
    for folder in folders:
        for task in RUN_BY_NAME:
            node = [s for s in follower.alias(task, folder) or () if s.tool == "node"]
            if node:
                where = "mix.exs" if folder == "." else f"{folder}/mix.exs"
                found.append(
                    f"{where} alias `{task}` runs `{node[0].command}` (Node), and the Dockerfile "
                    f"runs `mix {task}` where there is no Node: move that step into "
                    "`assets.deploy`, which kubenative splits between its stages"
                )
    return found


def _alias_chain(
    app: App, aliases: dict[str, tuple[str, ...]], follower: steps.Follower, claims_root: bool
) -> tuple[str | None, tuple[Step, ...]]:
    """The steps of the alias that builds the assets. A ``release`` alias that runs a Node
    step (``release: ["cmd npm run deploy --prefix ./assets", "phx.digest", "release"]``) is
    the whole pipeline: `mix release` runs it, and the releaser has no Node, so its steps are
    placed one by one and the release runs past the alias. One without a Node step runs
    itself, in `mix release`."""
    if claims_root:
        release = follower.alias("release", ".")
        if release and any(s.tool == "node" for s in release):
            return "release", tuple(release)
    name = next((a for a in ("assets.deploy", "assets.build") if a in aliases), None)
    if name is None:
        return None, ()
    return name, tuple(follower.alias(name, app.path) or ())


def _binary_tools(mix_steps: tuple[str, ...], dep_names: frozenset[str]) -> tuple[str, ...]:
    return tuple(
        sorted(
            {
                BINARY_TASKS[task]
                for step in mix_steps
                if (task := task_name(step)) in BINARY_TASKS and BINARY_TASKS[task] in dep_names
            }
        )
    )


def _without_package(
    root: Path, app: App, pipeline_root: str, static: str, alias: _Chain
) -> Assets | None:
    """No package.json: the Mix tasks alone, an asset folder with no pipeline, or nothing."""
    if not alias.steps:
        if (root / pipeline_root).is_dir() and pipeline_root != ".":
            return Assets(app.name, pipeline_root, None, output=static)
        return None
    return Assets(
        app.name,
        pipeline_root,
        "mix",
        output=static,
        alias=alias.name,
        mix_steps=alias.mix_steps,
        tools=alias.tools,
        steps=tuple(s for s in alias.steps if s.tool != "node"),
    )


def _with_package(
    root: Path,
    app: App,
    pipeline_root: str,
    static: str,
    alias: _Chain,
    package: PackageJson,
    read_text: _Reader,
    warnings: list[str],
    follower: steps.Follower,
    deploy: tuple[deploy_files.Commands, ...],
    dep_names: frozenset[str],
) -> Assets:
    lock, manager, berry, package = _manager(root, pipeline_root, package, read_text, warnings)
    chain = _package_chain(package, pipeline_root, manager, berry, alias, follower, deploy)
    # A Mix bundler task a package.json script runs in turn downloads its binary too.
    tools = _binary_tools(mix_tasks(chain), dep_names)
    node = [s for s in chain if s.tool == "node"]
    commands = tuple(s.run_from(pipeline_root) for s in node)
    scripts = tuple(name for s in node if (name := _script_of(s, pipeline_root)) is not None)
    mix_steps = mix_tasks(chain)
    pipeline: Pipeline = "mix" if mix_steps and not commands else manager
    if pipeline != "mix" and not commands:
        warnings.append(
            f"{package.path} has no `deploy`, `deploy:*`, `build` or `build:*` script, no "
            "Mix alias runs one and no deploy file of the project (Dockerfile, buildpack "
            "compile script, Procfile) names one: the frontend stage installs packages only"
            + _production_hint(package.scripts, manager)
        )
    reads, refs = _reads(root, pipeline_root, package, read_text, tools)
    outputs = _outputs(root, app, pipeline_root, static, read_text)
    return Assets(
        app.name,
        pipeline_root,
        pipeline,
        lockfile=lock[0] if lock else None,
        script=scripts[0] if scripts else None,
        deps_refs=refs,
        output=outputs[0],
        alias=alias.name,
        mix_steps=mix_steps,
        commands=commands,
        scripts=scripts,
        manager=package.manager,
        yarn_berry=berry,
        install_files=tuple(f for f in INSTALL_FILES if (root / pipeline_root / f).exists()),
        reads=reads,
        outputs=outputs,
        tools=tools,
        steps=chain,
    )


def _package_chain(
    package: PackageJson,
    folder: str,
    manager: Pipeline,
    berry: bool,
    alias: _Chain,
    follower: steps.Follower,
    deploy: tuple[deploy_files.Commands, ...],
) -> tuple[Step, ...]:
    """Every step of the build, in order: the alias's, when it runs a Node step; else the
    package.json build scripts that no Mix step runs already (followed: a script may call Mix
    in turn), else what the project's own deploy files run; then the alias's Mix steps."""
    if alias.node:
        return alias.steps
    run_by_mix = _scripts_run_by_mix(alias.mix_steps)
    chain: list[Step] = []
    for name in _scripts(package.scripts, manager, berry):
        if name not in run_by_mix:
            origin = f"{package.path} script `{name}`"
            chain.extend(follower.commands(_run(manager, name), folder, origin, "script"))
    if not any(s.tool == "node" for s in chain):
        chain = list(_deploy_chain(follower, deploy, folder) or _brunch(package, folder))
    return (*chain, *alias.steps)


def _brunch(package: PackageJson, folder: str) -> tuple[Step, ...]:
    """Phoenix 1.0 to 1.2 generated a Brunch pipeline with no build script (1.3 added
    `"deploy": "brunch build --production"`); their deployment guide and the Phoenix static
    buildpack ran that command. With Brunch among the packages and no other build, so does
    kubenative."""
    tables = [package.data.get(k) for k in ("dependencies", "devDependencies")]
    if not any(isinstance(t, dict) and "brunch" in t for t in tables):
        return ()
    origin = f"{package.path}: Brunch, with no build script (Phoenix <= 1.2)"
    return (Step("brunch build --production", folder, "node", origin, bin_path=True),)


def _deploy_chain(
    follower: steps.Follower, deploy: tuple[deploy_files.Commands, ...], folder: str
) -> tuple[Step, ...]:
    """The asset steps of the first deploy file that runs a Node build in ``folder`` (its
    Dockerfile's RUN lines, a buildpack's compile script, ...): the Node steps that run a
    package.json script or a package's program there, and the Mix asset tasks around them.
    What else the file runs (deps.get, compile, release, apt-get) is not an asset step."""
    by_file: dict[str, list[deploy_files.Commands]] = {}
    for item in deploy:
        by_file.setdefault(item.origin.split(":", 1)[0], []).append(item)
    for file, items in by_file.items():
        scratch: list[str] = []
        reader = steps.Follower(follower.project, scratch)
        found: list[Step] = []
        for item in items:
            variables = dict(item.variables)
            found.extend(reader.commands(item.text, item.cwd, item.origin, "deploy", variables))
        buildpack = (
            not file.lower().endswith(("dockerfile", "containerfile")) and "Dockerfile" not in file
        )
        kept = [s for s in found if _asset_step(s, folder, buildpack)]
        if any(s.tool == "node" for s in kept):
            # What the file does besides the assets (apk add, git clone) is not kubenative's
            # to place: those warnings stay in the scratch list.
            return tuple(kept)
    return ()


def _asset_step(step: Step, folder: str, buildpack: bool) -> bool:
    if step.tool == "node":
        words = step.command.split()
        runs_package = "package.json script" in step.origin or step.bin_path
        runs_package = runs_package or (words[:1] == ["node"]) or "node_modules/" in step.command
        return runs_package and step.cwd == folder
    task = steps.task_of(step.command)
    if not task:
        return False
    if task in steps.ASSET_TASKS or task.startswith("assets."):
        return task not in ("phx.digest.clean",)
    # A buildpack's compile script is all asset pipeline (EdgeCommander's `mix swagger`).
    return buildpack and task not in steps.BUILTIN_TASKS and not task.startswith(("deps.", "ecto."))


def _manager(
    root: Path, pipeline_root: str, package: PackageJson, read_text: _Reader, warnings: list[str]
) -> tuple[tuple[str, Pipeline] | None, Pipeline, bool, PackageJson]:
    """(The lock file and its manager, the package manager, whether it is Yarn Berry, the
    package.json with its manager version filled in from the lock where it states none)."""
    lock = next(
        ((name, kind) for name, kind in LOCKFILES if (root / pipeline_root / name).is_file()),
        None,
    )
    manager: Pipeline = lock[1] if lock else _declared_manager(package)
    if manager == "pnpm" and package.manager is None and lock is not None:
        package = replace(package, manager=_pnpm_from_lock(root, pipeline_root, read_text))
    berry = manager == "yarn" and _yarn_berry(root, pipeline_root, package, read_text)
    if berry and package.manager is None and lock is not None:
        package = replace(package, manager=_berry_from_lock(root, pipeline_root, read_text))
    if lock is None:
        warnings.append(
            f"{package.path} has no lock file: the frontend stage runs `{manager} install` and "
            "is not reproducible; commit the lock file"
        )
    return lock, manager, berry, package


# --- the Mix alias ---------------------------------------------------------------------


def _pipeline_root(root: Path, app: App, node: tuple[Step, ...], claims_root: bool) -> str:
    """Where package.json is: the folder the alias's Node steps run in (the first that has a
    package.json), else ``assets/`` of the app, else the app itself, else (for an umbrella
    child) the project root."""
    if node:
        return next((s.cwd for s in node if (root / s.cwd / "package.json").is_file()), node[0].cwd)
    assets_dir = "assets" if app.path == "." else f"{app.path}/assets"
    if (root / assets_dir / "package.json").is_file():
        return assets_dir
    if app.path != "." and (root / app.path / "package.json").is_file():
        return app.path
    if claims_root and (root / "package.json").is_file():
        return "."
    return assets_dir


def _script_of(step: Step, folder: str) -> str | None:
    """The package.json script a Node step runs in the pipeline's folder."""
    if step.cwd != folder:
        return None
    words = shell.words(step.command)
    if len(words) >= 3 and words[0] in ("npm", "yarn", "pnpm", "bun") and "run" in words[1:2]:
        return words[2]
    if len(words) >= 3 and words[0] == "pnpm" and words[2] == "run" and len(words) >= 4:
        return words[3]  # pnpm --config.enable-pre-post-scripts=true run build
    if len(words) == 2 and words[0] in ("yarn", "pnpm") and words[1] not in ("install",):
        return words[1]
    return None


# --- package.json -------------------------------------------------------------------------


def load_package_json(root: Path, rel: str, read_text: _Reader) -> dict[str, object]:
    """The JSON object in ``rel``; bad JSON is one line naming the file, line and column."""
    try:
        data = json.loads(read_text(root / rel, root))
    except json.JSONDecodeError as err:
        raise UserError(f"{rel}:{err.lineno}:{err.colno}: invalid JSON ({err.msg})") from err
    if not isinstance(data, dict):
        raise UserError(f"{rel}: expected a JSON object")
    return data


def _package_json(root: Path, folder: str, read_text: _Reader) -> PackageJson:
    rel = "package.json" if folder == "." else f"{folder}/package.json"
    data = load_package_json(root, rel, read_text)
    scripts = data.get("scripts")
    manager = data.get("packageManager")
    table = scripts if isinstance(scripts, dict) else {}
    return PackageJson(
        rel,
        {k: v for k, v in table.items() if isinstance(v, str)},
        manager if isinstance(manager, str) else None,
        data,
    )


def _declared_manager(package: PackageJson) -> Pipeline:
    name = (package.manager or "npm").split("@", 1)[0]
    for kind in ("yarn", "pnpm", "bun"):
        if name == kind:
            return kind
    return "npm"


def _pnpm_from_lock(root: Path, folder: str, read_text: _Reader) -> str | None:
    """The pnpm major that writes this lock: lockfileVersion 5.x is pnpm 7, 6.0 is pnpm 8, 9.0 is
    pnpm 9 and 10. An older pnpm refuses a newer lock with --frozen-lockfile."""
    for line in read_text(root / folder / "pnpm-lock.yaml", root).splitlines()[:5]:
        if line.startswith("lockfileVersion:"):
            major = line.split(":", 1)[1].strip().strip("'\"").split(".", 1)[0]
            return {"5": "pnpm@7", "6": "pnpm@8", "9": "pnpm@9"}.get(major)
    return None


def _berry_from_lock(root: Path, folder: str, read_text: _Reader) -> str | None:
    """The Yarn major that writes this lock's `__metadata: version:` (4 is yarn 2, 6 is yarn 3,
    8 is yarn 4); an older Yarn refuses a newer lock with --immutable."""
    lines = read_text(root / folder / "yarn.lock", root).splitlines()[:12]
    for line in lines:
        if line.strip().startswith("version:"):
            major = line.split(":", 1)[1].strip()
            return {"4": "yarn@2", "5": "yarn@3", "6": "yarn@3", "8": "yarn@4"}.get(major)
    return None


def _yarn_berry(root: Path, folder: str, package: PackageJson, read_text: _Reader) -> bool:
    """Yarn 2+ ("berry") writes `__metadata:` into yarn.lock; classic yarn 1 never does."""
    if package.manager and package.manager.startswith("yarn@"):
        return not package.manager.startswith("yarn@1.")
    lock = root / folder / "yarn.lock"
    return lock.is_file() and "__metadata:" in read_text(lock, root)[:2000]


def _scripts(scripts: dict[str, str], manager: str, berry: bool) -> tuple[str, ...]:
    """The scripts a production build runs, in package.json order: `deploy`, else every
    `deploy:*`, else `build`, else every `build:*`. npm, yarn 1, pnpm (asked to) and bun run a
    script's `pre`/`post` hooks (a create-react-app `postbuild` that copies into priv/static);
    yarn 2+ never does, so for it the hooks are listed as scripts of their own."""
    chosen: tuple[str, ...] = ()
    for name in ("deploy", "build"):
        if name in scripts:
            chosen = (name,)
            break
        group = tuple(s for s in scripts if s.startswith(f"{name}:"))
        if group:
            chosen = group
            break
    if not berry:
        return chosen
    with_hooks: list[str] = []
    for name in chosen:
        with_hooks.extend(hook for hook in (f"pre{name}", name, f"post{name}") if hook in scripts)
    return tuple(with_hooks)


def _scripts_run_by_mix(mix_steps: tuple[str, ...]) -> set[str]:
    """package.json scripts a Mix step of the alias already runs: the bun package's
    `bun PROFILE run SCRIPT` (livebook's `assets.build: ["bun assets run build"]`) runs the
    `build` script in the releaser, so the frontend stage must not build it a second time."""
    found: set[str] = set()
    for step in mix_steps:
        words = [w for w in step.split() if not w.startswith("-")]
        if len(words) >= 4 and words[0] == "bun" and words[2] == "run":
            found.add(words[3])
    return found


def _production_hint(scripts: dict[str, str], manager: str) -> str:
    """Names the scripts that look like the production build under another name (changelog.com's
    `"compile": "webpack --mode=production -p"`); kubenative does not guess which one it is."""
    looks = [
        name
        for name, command in scripts.items()
        if "production" in command or "--minify" in command.split()
    ]
    if not looks:
        return ""
    listed = ", ".join(f"`{n}` ({scripts[n]})" for n in looks)
    return (
        f"; {listed} looks like the production build: name it `deploy`, or add "
        f'`"deploy": "{_run(manager, looks[0])}"`, and kubenative runs it'
    )


def _run(manager: str, script: str) -> str:
    if manager == "pnpm":
        # pnpm 6 to 8 skip a script's pre/post hooks unless told (9 and 10 run them); the
        # `--config.` form is accepted by 8, 9 and 10 (checked), the bare option is not.
        return f"pnpm --config.enable-pre-post-scripts=true run {script}"
    if manager in ("yarn", "bun"):
        return f"{manager} run {script}"
    return f"npm run {script}"


# --- what the configs read -------------------------------------------------------------


def _config_files(root: Path, folder: str) -> list[Path]:
    base = root / folder
    found: set[Path] = set()
    for pattern in CONFIG_GLOBS:
        found.update(p for p in base.glob(pattern) if p.is_file())
    return sorted(found)


def _literals(source: str, css: bool) -> list[str]:
    found = [next(g for g in m.groups() if g is not None) for m in STRING.finditer(source)]
    if css:
        found.extend(SOURCE_LINE.findall(source))
    return found


def _static_prefix(path: str) -> str:
    """``lib/**/*.heex`` → ``lib``; ``lib/app_web.ex`` stays as it is."""
    parts: list[str] = []
    for part in path.split("/"):
        if any(c in part for c in GLOB_CHARS):
            break
        parts.append(part)
    return "/".join(parts)


def _reads(
    root: Path, folder: str, package: PackageJson, read_text: _Reader, tools: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(Paths outside the pipeline's folder that its configs read, Mix deps it reads).

    For a pipeline at the project root, every existing path its configs name is an input."""
    reads: set[str] = set()
    refs: set[str] = set()
    for section in ("dependencies", "devDependencies"):
        table = package.data.get(section)
        if isinstance(table, dict):
            for spec in table.values():
                if isinstance(spec, str) and spec.startswith("file:"):
                    _classify(config_files.normalize(folder, spec[5:]), folder, reads, refs)
    for config in _config_files(root, folder):
        if _mix_tools_config(config, tools):
            continue
        source = read_text(config, root)
        config_dir = config.parent.relative_to(root).as_posix()
        if folder == ".":
            reads.add(config_dir if config_dir != "." else config.name)
        for literal in _literals(source, config.suffix in (".css", ".scss")):
            if not literal.startswith(("./", "../")) and folder != ".":
                continue
            if "://" in literal or " " in literal or not literal.strip("./"):
                continue
            # A bundler resolves `path.resolve(__dirname, "../x")` against the config's folder
            # but an entry such as "./apps/web/assets/js/app.js" against the folder it runs in.
            for base in dict.fromkeys((config_dir, folder)):
                target = _static_prefix(config_files.normalize(base, literal))
                if target and (root / target).exists():
                    _classify(target, folder, reads, refs)
                    break
    return tuple(sorted(_outermost(reads))), tuple(sorted(refs))


def _mix_tools_config(config: Path, tools: tuple[str, ...]) -> bool:
    """A config that a Mix step reads, not the Node build: with the tailwind Mix package,
    tailwind.config.js and the CSS it compiles belong to `mix tailwind` in the releaser, where
    lib/ is, so the Node build does not need lib/ for them."""
    if "tailwind" not in tools:
        return False
    return config.name.startswith("tailwind.config.") or config.suffix in (".css", ".scss")


def _classify(target: str, folder: str, reads: set[str], refs: set[str]) -> None:
    parts = target.split("/")
    if parts[0] == "deps":
        # A Mix dependency's JS (`file:../deps/phoenix`), or the whole folder (`nodePaths:
        # ["../deps"]`, written "*"): copied from the deps stage, never from the context.
        refs.add(parts[1] if len(parts) >= 2 else "*")
        return
    inside = folder == "." or target == folder or target.startswith(f"{folder}/")
    if folder == "." and target in ("", "."):
        return
    if "node_modules" in parts or "_build" in parts or "priv/static" in target:
        return
    if not inside or folder == ".":
        reads.add(_source_unit(target))


def _source_unit(path: str) -> str:
    """A path inside an `assets/` folder stands for the whole folder: a bundler's entry point
    (``apps/web/assets/js/app.js``) imports its siblings (``../css/app.css``)."""
    parts = path.split("/")
    if "assets" in parts:
        return "/".join(parts[: parts.index("assets") + 1])
    return path


def _outermost(paths: set[str]) -> set[str]:
    return {p for p in paths if not any(p.startswith(f"{q}/") for q in paths if q != p)}


def _outputs(root: Path, app: App, folder: str, static: str, read_text: _Reader) -> tuple[str, ...]:
    """Where the build writes: the app's priv/static; for a pipeline at the root of an
    umbrella, the priv/static of every app its configs name (``apps/web/priv/static``)."""
    if folder != ".":
        return (static,)
    named: set[str] = set()
    for config in _config_files(root, folder):
        for literal in _literals(read_text(config, root), False):
            target = config_files.normalize(config.parent.relative_to(root).as_posix(), literal)
            match = re.match(r"(apps/[^/]+)/priv/static", target)
            if match:
                named.add(f"{match.group(1)}/priv/static")
    return tuple(sorted(named)) or (static,)


def task_name(step: str) -> str:
    """The Mix task an alias step runs: ``esbuild`` of ``esbuild default --minify``. A step the
    parser kept as source text (``"tailwind #{@app}"``, interpolated) still names its task."""
    words = step.strip().lstrip("\"'").split()
    return words[0] if words else ""


def install_task(tool: str) -> str:
    return INSTALL_TASKS[tool]
