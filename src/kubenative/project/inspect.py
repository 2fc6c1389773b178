"""Read an Elixir project's files into a :class:`Project`. Reads only; never runs Mix or Docker."""

from __future__ import annotations

import posixpath
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from kubenative import ignore
from kubenative.catalog import versions
from kubenative.errors import UserError
from kubenative.project import (
    boot,
    commands,
    config_files,
    constraints,
    copies,
    deploy_files,
    endpoints,
    env_vars,
    native,
    poncho,
    sockets,
    steps,
)
from kubenative.project import releases as release_rules
from kubenative.project.assets import load_package_json, read_assets, shadowed_tasks
from kubenative.project.elixir_ast import partial_reads
from kubenative.project.mix_exs import Dep, MixProject, parse_mix_exs
from kubenative.project.mix_lock import LockEntry, parse_mix_lock
from kubenative.project.model import (
    App,
    Assets,
    ConfigSecret,
    NativeDep,
    Project,
    Release,
    ReleaseTool,
)
from kubenative.project.npm_lock import NpmLock, entry_line, read_npm_lock

DATABASES = (
    ("postgrex", "postgres"),
    ("myxql", "mysql"),
    ("mariaex", "mysql"),
    ("ecto_sqlite3", "sqlite"),
    ("exqlite", "sqlite"),
    ("tds", "mssql"),
)
DEFAULT_PORT = 4000


def read_text(path: Path, root: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise UserError(f"{_rel(path, root)}: not UTF-8 text ({err.reason})") from err
    except OSError as err:
        raise UserError(f"{_rel(path, root)}: cannot read ({err.strerror})") from err


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix() or "."
    except ValueError:
        return str(path)


def _mix(path: Path, root: Path) -> MixProject:
    return parse_mix_exs(read_text(path, root), _rel(path, root))


def inspect_project(root_arg: str, app: str | None = None) -> Project:
    """The project at ``root_arg``; with ``app``, the poncho app ``root_arg/app`` with the
    poncho root as the Docker context (see ``kubenative.project.poncho``)."""
    root = Path(root_arg)
    if not root.exists():
        raise UserError(f"{root_arg}: no such directory")
    if not root.is_dir():
        raise UserError(f"{root_arg}: not a directory (give the folder that holds mix.exs)")
    root = root.resolve()
    if app is not None:
        return poncho.inspect_app(
            root, app, inspect_project, lambda p: read_text(p, root), _gitignores
        )
    if not (root / "mix.exs").is_file():
        _no_mix_exs(root, root_arg)
    # A source file the parser cannot read whole is read in part, with one warning (see
    # elixir_ast.strict_file for the files that are refused instead: a problem).
    with partial_reads() as partial:
        project = _inspect_mix_project(root)
    return replace(project, warnings=(*project.warnings, *partial.warnings))


@dataclass(frozen=True)
class _Layout:
    """The Mix projects under the root, their apps, and what mix.lock pins."""

    top: MixProject
    members: list[tuple[str, MixProject]]
    lock: tuple[LockEntry, ...]
    has_lock: bool
    locked: dict[str, LockEntry]
    all_deps: list[Dep]
    dep_names: set[str]
    apps: tuple[App, ...]


@dataclass(frozen=True)
class _Config:
    """The project's .gitignore rules and its config files (see ``_config_files``)."""

    gitignores: tuple[tuple[str, tuple[str, ...]], ...]
    compile_config: tuple[str, ...]
    late_config: tuple[str, ...]
    secrets: tuple[str, ...]  # tracked *.secret.exs: copied
    config_secrets: tuple[ConfigSecret, ...]  # imported, not in git: build secrets


def _inspect_mix_project(root: Path) -> Project:
    """The Mix project at ``root``. Each step appends its warnings in turn: the order of the
    steps is the order the user reads the warnings in. What stops the build but still leaves
    something to show (a config file or lock that does not parse, an invalid package.json, an
    empty ``releases:``) is a problem: the step that met it stands down and the rest goes on."""
    warnings: list[str] = []
    problems: list[str] = []
    layout = _layout(root, warnings, problems)
    no_release: tuple[ReleaseTool | None, tuple[Release, ...]] = (None, ())
    release_tool, releases = _guard(
        problems,
        no_release,
        lambda: release_rules.releases(
            root, layout.top, layout.apps, layout.all_deps, lambda p: read_text(p, root), warnings
        ),
    )
    config = _config(root, layout.members, warnings, problems)
    assets = _project_assets(root, layout, config, warnings, problems)
    none: tuple[constraints.Constraint, ...] = ()
    found_constraints = _guard(
        problems,
        none,
        lambda: _constraints(root, layout, release_tool, config.late_config, assets),
    )
    natives = _native_deps(root, layout.lock, layout.members, warnings, problems)
    listener, http_server, found = _guard(
        problems,
        (endpoints.Listener((), None, None, False, ()), True, copies.Copies((), (), (), (), ())),
        lambda: _listener_and_copies(root, layout, config, warnings),
    )
    release_reads: tuple[str, ...] = _guard(
        problems,
        tuple[str, ...](),
        lambda: release_rules.release_reads(
            root, release_tool, releases, lambda p: read_text(p, root), warnings, found.source_dirs
        ),
    )
    distillery = layout.locked.get("distillery")
    project = Project(
        root=str(root),
        name=_project_name(layout.top, layout.apps, root),
        umbrella=layout.top.umbrella,
        apps=layout.apps,
        release_tool=release_tool,
        releases=releases,
        assets=assets,
        native_deps=natives,
        git_deps=_git_deps(layout),
        hex_deps=_hex_deps(layout),
        hex_organizations=_hex_organizations(layout),
        hex_repos=_hex_repos(layout),
        database=next((db for dep, db in DATABASES if dep in layout.dep_names), None),
        port=listener.port or DEFAULT_PORT,
        port_env=listener.port_env,
        http_server=http_server,
        endpoints=listener.endpoints,
        serve_endpoints=listener.serve_endpoints,
        ports=listener.ports if http_server else (),
        other_listeners=listener.others,
        optional_listeners=listener.optional,
        has_lock=layout.has_lock,
        distillery_version=distillery.version if distillery else None,
        mix_files=_mix_files(layout.members),
        compile_config=tuple(sorted({*config.compile_config, *found.config_reads})),
        late_config=config.late_config,
        source_dirs=found.source_dirs,
        has_rel_dir=(root / "rel").is_dir(),
        start_script=_guard(problems, None, lambda: _start_script(root, releases)),
        commands=_guard(problems, (), lambda: _commands(root, layout)),
        gitignores=config.gitignores,
        mix_reads=found.mix_reads,
        compile_reads=found.compile_reads,
        boot_reads=found.boot_reads,
        release_reads=_release_reads(root, release_reads, found),
        path_deps=tuple((folder, f"/app/{folder}") for folder in found.path_deps),
        boot_writes=found.boot_writes,
        tracked_secrets=config.secrets,
        config_secrets=config.config_secrets,
        mix_env=found.mix_env,
        constraints=found_constraints,
        warnings=tuple(warnings),
    )
    booted: dict[str, Any] = _guard(problems, {}, lambda: boot.read(root, project))
    return replace(project, **booted, problems=tuple(dict.fromkeys(problems)))


def _layout(root: Path, warnings: list[str], problems: list[str]) -> _Layout:
    top = _mix(root / "mix.exs", root)
    if top.module is not None and not top.has_project and not top.umbrella:
        raise UserError(
            f"mix.exs: module {top.module} has no `def project`; is this a Mix project?"
        )
    members = _members(root, top, problems)
    lock_path = root / "mix.lock"
    lock: tuple[LockEntry, ...] = ()
    if lock_path.is_file():
        lock = _guard(problems, (), lambda: parse_mix_lock(read_text(lock_path, root), "mix.lock"))
    else:
        warnings.append(
            "mix.lock is missing: dependency versions are not pinned and the deps layer resolves "
            "them at build time; run `mix deps.get` and commit mix.lock"
        )
    locked = {entry.name: entry for entry in lock}
    all_deps = [dep for _, mix in members for dep in mix.deps]
    return _Layout(
        top=top,
        members=members,
        lock=lock,
        has_lock=lock_path.is_file(),
        locked=locked,
        all_deps=all_deps,
        dep_names={dep.name for dep in all_deps} | set(locked),
        apps=_apps(members, locked),
    )


def _apps(members: list[tuple[str, MixProject]], locked: dict[str, LockEntry]) -> tuple[App, ...]:
    return tuple(
        App(
            name=mix.app or Path(path).name,
            path=path,
            phoenix=any(dep.name == "phoenix" for dep in mix.deps)
            # deps built by a helper kubenative cannot follow (livebook's
            # `deps: with_lock(target_deps(Mix.target()) ++ deps())`): the lock of a single
            # project says whether Phoenix is in it.
            or ("deps" in mix.unknown_keys and len(members) == 1 and "phoenix" in locked),
            phoenix_version=locked["phoenix"].version if "phoenix" in locked else None,
        )
        for path, mix in members
    )


def _config(
    root: Path, members: list[tuple[str, MixProject]], warnings: list[str], problems: list[str]
) -> _Config:
    return _config_files(root, members, _gitignores(root), warnings, problems)


def _project_assets(
    root: Path, layout: _Layout, config: _Config, warnings: list[str], problems: list[str]
) -> tuple[Assets, ...]:
    all_config = config.compile_config + config.late_config
    return _assets(
        root,
        layout.top.aliases,
        layout.members,
        layout.apps,
        layout.dep_names,
        _manifests(root, all_config),
        _tool_paths(root, all_config),
        warnings,
        problems,
    )


def _listener_and_copies(
    root: Path, layout: _Layout, config: _Config, warnings: list[str]
) -> tuple[endpoints.Listener, bool, copies.Copies]:
    # The listener is read first so the build-time read of a frozen port is warned about once
    # (by the listener, which says what it does to the port); its warnings keep their place.
    listener_warnings: list[str] = []
    listener, http_server = _listener(
        root,
        config.compile_config,
        config.late_config,
        layout.apps,
        layout.all_deps,
        listener_warnings,
    )
    found = copies.find(
        root,
        layout.top,
        # an app whose mix.exs does not parse is a problem already: nothing to read there
        [(path, mix) for path, mix in layout.members if mix.module is not None],
        config.compile_config,
        config.late_config,
        lambda path: read_text(path, root),
        warnings,
        _gitignored(config.gitignores),
        frozenset(listener.frozen),
    )
    warnings.extend(listener_warnings)
    return listener, http_server, found


def _release_reads(root: Path, named: tuple[str, ...], found: copies.Copies) -> tuple[str, ...]:
    """What the release configuration and mix.exs release steps read, less what the releaser
    copies anyway: ``rel/`` (whole) and the source folders."""
    covered = (*(("rel",) if (root / "rel").is_dir() else ()), *found.source_dirs)
    return tuple(
        sorted(
            path
            for path in {*named, *found.release_reads}
            if not any(path.rstrip("/") == c or path.startswith(f"{c}/") for c in covered)
        )
    )


def _git_deps(layout: _Layout) -> tuple[str, ...]:
    return tuple(
        sorted(
            {e.name for e in layout.lock if e.scm == "git"}
            | {
                d.name
                for d in layout.all_deps
                if (d.git or d.github) and d.name not in layout.locked
            }
        )
    )


def _hex_deps(layout: _Layout) -> bool:
    hex_locked = any(e.scm == "hex" for e in layout.lock)
    hex_declared = any(_is_hex(dep) for dep in layout.all_deps)
    return hex_locked or (hex_declared and not layout.has_lock)


def _hex_organizations(layout: _Layout) -> tuple[str, ...]:
    return tuple(
        sorted(
            {e.repo.split(":", 1)[1] for e in layout.lock if e.repo and e.repo.startswith("hexpm:")}
            | {d.organization for d in layout.all_deps if d.organization}
        )
    )


def _hex_repos(layout: _Layout) -> tuple[str, ...]:
    # Self-hosted Hex repositories (`repo: "internal"`, locked with that repo's name): the build
    # has to `mix hex.repo add` each one, with its URL and key, before `deps.get`.
    return tuple(
        sorted(
            {e.repo for e in layout.lock if e.scm == "hex" and e.repo and not _hexpm(e.repo)}
            | {d.repo for d in layout.all_deps if d.repo and not _hexpm(d.repo)}
        )
    )


def _mix_files(members: list[tuple[str, MixProject]]) -> tuple[str, ...]:
    return tuple(sorted(["mix.exs"] + [f"{path}/mix.exs" for path, _ in members if path != "."]))


def _commands(root: Path, layout: _Layout) -> tuple[commands.Command, ...]:
    """Programs the application runs: called in its code, or run by a library a prod build
    fetches (declared in any app, or pulled in by one: thumbnex brings mogrify and ffmpex)."""
    members = layout.members
    direct: dict[str, str] = {}
    for path, mix in members:
        for dep in mix.deps:
            if dep.only is None or "prod" in dep.only:
                direct.setdefault(dep.name, "mix.exs" if path == "." else f"{path}/mix.exs")
    complete = not any("deps" in mix.unknown_keys for _, mix in members)
    fetched = _prod_packages(layout.lock, layout.all_deps, complete) if layout.lock else set()
    libraries = [(name, direct.get(name, "mix.lock")) for name in sorted(set(direct) | fetched)]
    return commands.read(
        root,
        tuple("lib" if path == "." else f"{path}/lib" for path, _ in members),
        lambda p: read_text(p, root),
    ) + commands.from_deps(libraries)


def _no_mix_exs(root: Path, root_arg: str) -> None:
    apps = poncho.siblings(root)
    if apps and poncho.is_poncho(root, lambda p: read_text(p, root)):
        raise UserError(
            f"{root_arg}: a poncho layout (no mix.exs at the top; {', '.join(apps)} each have "
            f"one): build one app with `--app {apps[-1]}` (the Docker context stays here, so "
            "its path dependencies are copied)"
        )
    raise UserError(
        f"{root_arg}: not an Elixir project (no mix.exs); run kubenative in the folder that "
        "holds your project's mix.exs"
    )


def _members(root: Path, top: MixProject, problems: list[str]) -> list[tuple[str, MixProject]]:
    """(path, mix.exs) for the project itself, or for every umbrella app, sorted by path."""
    if not top.umbrella:
        return [(".", top)]
    apps_dir = top.apps_path if top.apps_path else "apps"
    found = sorted(p.parent for p in (root / apps_dir).glob("*/mix.exs") if p.is_file())
    if not found:
        raise UserError(
            f"mix.exs declares an umbrella (apps_path) but {apps_dir}/ holds no apps "
            f"(no {apps_dir}/*/mix.exs); create one with `cd {apps_dir} && mix new NAME`"
        )
    # An app whose mix.exs does not parse is still an app of the umbrella (its folder names it).
    return [
        (
            _rel(path, root),
            _guard(problems, MixProject(None), partial(_mix, path / "mix.exs", root)),
        )
        for path in found
    ]


def _project_name(top: MixProject, apps: tuple[App, ...], root: Path) -> str:
    if not top.umbrella:
        return apps[0].name
    module = top.module or ""
    module = re.sub(r"\.(MixProject|Mixfile|Project)$", "", module)
    module = re.sub(r"\.?Umbrella$", "", module)
    if not module:
        return root.name
    return _underscore(module)


def _underscore(module: str) -> str:
    """Macro.underscore for plain module names: ``KubeNative.Web`` → ``kube_native/web``."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", module)
    return words.replace(".", "_").lower()


def _hexpm(repo: str) -> bool:
    """hexpm itself or one of its organisations (``hexpm:acme``)."""
    return repo == "hexpm" or repo.startswith("hexpm:")


def _is_hex(dep: Dep) -> bool:
    return not (dep.in_umbrella or dep.path or dep.git or dep.github)


def _assets(
    root: Path,
    top_aliases: dict[str, tuple[str, ...]],
    members: list[tuple[str, MixProject]],
    apps: tuple[App, ...],
    dep_names: set[str],
    manifests: dict[str, str],
    tool_paths: dict[str, str],
    warnings: list[str],
    problems: list[str],
) -> tuple[Assets, ...]:
    """Each app's pipeline. A package.json at the project root belongs to the single app, or in
    an umbrella to its first web app (a root-level webpack that serves every app). Prod config
    that sets `cache_static_manifest` for an app (or for an app it cannot name) is recorded."""
    web = next((a.name for a in apps if a.phoenix), apps[0].name)
    found: list[Assets] = []
    umbrella_root = members[0][0] != "."
    aliases = {path: mix.aliases for path, mix in members}
    if umbrella_root:
        aliases["."] = top_aliases
    follower = steps.Follower(
        steps.Project(
            root,
            read_text,
            aliases,
            tuple(path for path, _ in members) if umbrella_root else (),
        ),
        warnings,
    )
    deploy = deploy_files.read(root)
    warnings.extend(shadowed_tasks(follower, tuple(aliases)))
    for (_path, mix), app in zip(members, apps, strict=True):
        item = _guard(
            problems,
            None,
            partial(
                read_assets,
                root,
                app,
                mix.aliases,
                frozenset(d.name for d in mix.deps) & frozenset(dep_names),
                warnings,
                read_text,
                claims_root=app.name == web,
                follower=follower,
                deploy=deploy,
            ),
        )
        if item is None:
            continue
        manifest = manifests.get(app.name) or (manifests.get("*") if app.phoenix else None)
        paths = tuple(sorted((t, env) for t, env in tool_paths.items() if t in item.tools))
        lock = _guard(problems, None, partial(_npm_lock, root, item))
        if lock is None:
            continue
        native_modules = item.node and lock.native
        found.append(
            replace(
                item,
                manifest=manifest,
                tool_paths=paths,
                native_modules=native_modules,
                node_gyp=_node_gyp(root, item, lock) if native_modules else None,
            )
        )
    # An app whose static files another app's pipeline writes (a root-level webpack of an
    # umbrella) has no build of its own.
    written = {out for a in found if a.pipeline for out in a.outputs}
    return tuple(a for a in found if a.pipeline or a.output not in written)


def _tool_paths(root: Path, config: tuple[str, ...]) -> dict[str, str]:
    """Tool → env var ("" for a fixed path) of every `config :esbuild, path: ...` setting."""
    result: dict[str, str] = {}
    for rel in config:
        for tool, env in config_files.tool_paths(read_text(root / rel, root), rel).items():
            result.setdefault(tool, env)
    return result


def _manifests(root: Path, config: tuple[str, ...]) -> dict[str, str]:
    """App name (or "*") → the prod config file that sets its cache_static_manifest."""
    result: dict[str, str] = {}
    for rel in config:
        if rel.rsplit("/", 1)[-1] not in ("prod.exs", "releases.exs", "runtime.exs"):
            continue
        for app in config_files.cache_manifest_apps(read_text(root / rel, root), rel):
            result.setdefault(app, rel)
    return result


def _constraints(
    root: Path,
    layout: _Layout,
    release_tool: str | None,
    late_config: tuple[str, ...],
    assets: Iterable[Assets],
) -> tuple[constraints.Constraint, ...]:
    """Every line of the project that limits or states the Elixir, OTP, OS and Node versions
    (``kubenative.project.constraints``)."""
    texts = {rel: read_text(root / rel, root) for rel in _mix_files(layout.members)}
    found = constraints.from_mix(layout.members, texts, release_tool, late_config)
    # The lock graph is walked from the prod deps of every app and, in an umbrella, of the
    # root mix.exs (where Distillery is usually declared).
    mixes = [mix for _, mix in layout.members]
    if layout.top.umbrella:
        mixes.append(layout.top)
    complete = not any("deps" in mix.unknown_keys for mix in mixes)
    declared = [dep for mix in mixes for dep in mix.deps]
    lock_text = read_text(root / "mix.lock", root) if layout.has_lock else ""
    found += constraints.from_mix_lock(
        layout.lock, _prod_packages(layout.lock, declared, complete), lock_text
    )

    def read(path: Path) -> str:
        return read_text(path, root)

    if (root / ".tool-versions").is_file():
        found += constraints.from_tool_versions(read(root / ".tool-versions"))
    found += constraints.from_dockerfiles(root, read)
    found += constraints.from_ci(root, read)
    node_assets = [a for a in assets if a.node]
    if not node_assets:
        return tuple(c for c in found if c.tool != "node")
    if not any(c.tool == "node" for c in found):
        found += _node_pins(root, node_assets)
    for item in node_assets:
        package = "package.json" if item.path == "." else f"{item.path}/package.json"
        if (root / package).is_file():
            text = read_text(root / package, root)
            engines = constraints.engines(
                load_package_json(root, package, read_text), package, text
            )
            if engines is not None:
                found.append(engines)
                break
    for item in node_assets:
        if item.lockfile and not item.lockfile.startswith("bun.lock"):
            rel = f"{item.path}/{item.lockfile}" if item.path != "." else item.lockfile
            text = read_text(root / rel, root)
            lock = read_npm_lock(item.lockfile, text)
            found += constraints.from_npm_lock(lock.packages, lock.lockfile_version, rel, text)
    return tuple(found)


# Files that pin a Node version, in the order version managers read them (nvm, nodenv/fnm).
NODE_PIN_FILES = (".nvmrc", ".node-version")


def _node_pins(root: Path, node_assets: list[Assets]) -> list[constraints.Constraint]:
    for directory in [".", *[a.path for a in node_assets]]:
        for name in NODE_PIN_FILES:
            pin_file = root / directory / name
            if pin_file.is_file():
                pin = constraints.node_pin_file(read_text(pin_file, root), _rel(pin_file, root))
                if pin is not None:
                    return [pin]
    return []


def _node_gyp(root: Path, assets: Assets, lock: NpmLock) -> tuple[str, str] | None:
    """The oldest node-gyp the lock holds, with its file:line. node-sass before 5 depends on
    node-gyp 3 (``^3.8.0``), so a lock that lists node-sass < 5 but not node-gyp stands for it."""
    if assets.lockfile is None:
        return None
    rel = assets.lockfile if assets.path == "." else f"{assets.path}/{assets.lockfile}"
    text = read_text(root / rel, root)
    version = lock.oldest("node-gyp")
    if version is not None:
        return version, f"{rel}:{entry_line(text, 'node-gyp', version)}"
    sass = lock.oldest("node-sass")
    if sass is not None and versions.satisfies(sass, "< 5.0.0"):
        return "3", f"{rel}:{entry_line(text, 'node-sass', sass)} (node-sass {sass} needs it)"
    return None


def _npm_lock(root: Path, assets: Assets) -> NpmLock:
    if assets.lockfile is None or assets.lockfile.startswith("bun.lock"):
        return NpmLock({})  # bun.lockb is binary; bun.lock is not read yet
    path = root / assets.path / assets.lockfile
    return read_npm_lock(assets.lockfile, read_text(path, root))


def _native_deps(
    root: Path,
    lock: tuple[LockEntry, ...],
    members: list[tuple[str, MixProject]],
    warnings: list[str],
    problems: list[str],
) -> tuple[NativeDep, ...]:
    """Locked packages and the project's own crates that need a toolchain. Packages only the
    dev or test environment uses (``only: :dev``/``:test`` and what only they pull in) are not
    fetched by ``mix deps.get --only prod``, so they never bring a toolchain into the image."""
    complete = not any("deps" in mix.unknown_keys for _, mix in members)
    declared = [dep for _, mix in members for dep in mix.deps]
    prod = _prod_packages(lock, declared, complete)
    found: list[NativeDep] = []
    for entry in lock:
        needs = native.needs_for(entry.name, entry.deps, entry.version)
        if needs is not None and entry.name in prod:
            found.append(NativeDep(entry.name, needs))
    rustler_in_prod = "rustler" in prod and "rustler_precompiled" not in prod
    crates = 0
    for path, _ in members:
        base = root if path == "." else root / path
        for cargo in sorted(base.glob("native/*/Cargo.toml")):
            rel = _rel(cargo.parent, root)
            manifest = _guard(problems, None, partial(_cargo_toml, root, cargo))
            if manifest is None:
                continue
            needs = native.crate_needs(manifest)
            if needs is None:
                continue
            crates += 1
            if rustler_in_prod:
                found.append(NativeDep(rel, needs))
            else:
                warnings.append(
                    f"{rel} is a Rustler crate but :rustler is not a prod dependency (or "
                    "rustler_precompiled downloads the NIF): no Rust toolchain in the builder"
                )
    direct = {d.name for d in declared if d.only is None or "prod" in d.only}
    if "rustler" in direct and not crates and not any(_cargo(d.needs) for d in found):
        found.append(NativeDep("rustler", native.DECLARED_RUSTLER))
    return tuple(found)


def _cargo_toml(root: Path, cargo: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(read_text(cargo, root))
    except tomllib.TOMLDecodeError as err:
        raise UserError(f"{_rel(cargo, root)}: invalid TOML ({err})") from err


def _start_script(root: Path, releases: tuple[Release, ...]) -> str | None:
    """The project's own start script, in the overlays of the first release that has one."""
    for templates in dict.fromkeys(r.templates for r in releases):
        script = release_rules.start_script(root, lambda p: read_text(p, root), templates)
        if script:
            return script
    return None


def _cargo(needs: native.NativeNeeds) -> bool:
    return "cargo" in needs.builder.get("debian", ())


def _prod_packages(
    lock: tuple[LockEntry, ...], declared: list[Dep], complete: bool = True
) -> set[str]:
    """Locked packages a prod build fetches: the declared deps not limited to other
    environments (in any app of an umbrella), and what they depend on. A dependency's optional
    deps are not followed: Mix fetches one only when something else requires it (Phoenix
    LiveView 1.1 lists `lazy_html` as optional; the app declares it `only: :test`).

    When a mix.exs declares deps kubenative cannot read (``complete`` false: `deps() ++
    extra()`, an element built by a function), an unread declaration may need any locked
    package, so every package stays except those only test/dev declarations lead to: a
    package the project itself marks test-only brings nothing, whatever else is unknown."""
    locked = {entry.name: entry for entry in lock}

    def closure(roots: list[str]) -> set[str]:
        seen: set[str] = set()
        pending = list(roots)
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            entry = locked.get(name)
            if entry is not None:
                pending.extend(d for d in entry.deps if d not in entry.optional_deps)
        return seen

    prod = closure([d.name for d in declared if d.only is None or "prod" in d.only])
    if complete:
        return prod
    other = closure([d.name for d in declared if d.only is not None and "prod" not in d.only])
    return set(locked) - (other - prod)


def _gitignored(gitignores: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[str, ...]:
    """The project's .gitignore rules, as patterns anchored at the root (dockerignore syntax)."""
    return tuple(
        p for folder, lines in gitignores for p in ignore.translate_gitignore(folder, lines)
    )


def _config_files(
    root: Path,
    members: list[tuple[str, MixProject]],
    gitignores: tuple[tuple[str, tuple[str, ...]], ...],
    warnings: list[str],
    problems: list[str],
) -> _Config:
    """Compile-time config (read before deps.compile), boot-time config (copied last), the
    ``*.secret.exs`` files among the first that git tracks, and the imported config git does
    not hold (build secrets).

    An imported config file is source when git tracks it: it is copied like any config, even a
    ``*.secret.exs``. "Tracked" is read from the project's .gitignore files, not from git: a
    file that exists and that no .gitignore excludes is one ``git add`` takes (see
    docs/design-copies.md). An imported file that .gitignore excludes, or a ``*.secret.exs``
    that is absent, is not in any checkout: it comes from the builder's machine as a BuildKit
    secret mount (see kubenative.plan.secrets). Any other absent file that an unconditional
    import names is a problem: Mix stops there. A config file kubenative cannot parse is a
    problem too, and is left out, so no later reader trips on it."""
    ignored = _gitignored(gitignores)
    compile_time: set[str] = set()
    tracked: set[str] = set()
    secrets: dict[str, ConfigSecret] = {}
    pending = ["config/config.exs"]
    for path, _ in members:
        if path != ".":
            pending.append(f"{path}/config/config.exs")
    while pending:
        rel = pending.pop()
        if rel in compile_time or not (root / rel).is_file():
            continue
        sites = _guard(
            problems,
            None,
            partial(_import_sites, root, rel),
        )
        if sites is None:
            continue
        compile_time.add(rel)
        folder = rel.rsplit("/", 1)[0]
        for site in sites:
            wanted = site.target.replace("{env}", "prod")
            if posixpath.normpath(posixpath.join(folder, wanted)).startswith(".."):
                continue  # outside the project: a poncho's path dependency brings it
            target = config_files.normalize(folder, wanted)
            if "*" in target:
                pending.extend(_rel(p, root) for p in sorted(root.glob(target)))
                continue
            present = (root / target).is_file()
            excluded = ignore.excluded(target, ignored)
            if present and not excluded:
                if target.endswith(".secret.exs"):
                    tracked.add(target)
                pending.append(target)
            elif excluded or target.endswith(".secret.exs"):
                earlier = secrets.get(target)
                secrets[target] = ConfigSecret(
                    path=target,
                    imported_by=earlier.imported_by if earlier else f"{rel}:{site.line}",
                    required=not site.conditional or bool(earlier and earlier.required),
                    present=present,
                    requires=_build_requires(root, target) if present else (),
                )
            elif not site.conditional:
                problems.append(
                    f"{rel}:{site.line} imports {target}, which is not in the project: Mix "
                    "stops there when it evaluates the config; add the file, or remove the "
                    "import"
                )
    late = tuple(
        rel
        for rel in ("config/releases.exs", "config/runtime.exs")
        if (root / rel).is_file()
        and _guard(problems, None, partial(_boot_config_imports, root, rel, warnings)) is not None
    )
    return _Config(
        gitignores,
        tuple(sorted(compile_time)),
        late,
        tuple(sorted(tracked)),
        tuple(secrets[path] for path in sorted(secrets)),
    )


def _build_requires(root: Path, rel: str) -> tuple[str, ...]:
    """The variables the local copy of a secret config requires while Mix evaluates it
    (`System.get_env("X") || raise`, `fetch_env!`): the build has none of them. Distillery's
    "${X}" placeholders are strings until the release boots, so they are not counted. Only a
    warning reads this, never the Dockerfile: what it says must not depend on a file git lacks.
    A copy that does not parse says nothing here (Mix will tell)."""
    try:
        source = read_text(root / rel, root)
        found = env_vars.read(source, rel)
    except UserError:
        return ()
    names = (v.name for v in found if v.required and f'"{v.name}"' in source)
    return tuple(dict.fromkeys(names))


def _import_sites(root: Path, rel: str) -> tuple[config_files.Import, ...]:
    return config_files.import_sites(read_text(root / rel, root), rel)


def _boot_config_imports(root: Path, rel: str, warnings: list[str]) -> bool:
    """Boot-time config is read with imports disabled (Mix and releases both read runtime.exs
    and releases.exs that way): `import_config "runtime/#{config_env()}.exs"` raises
    "import_config/1 is not enabled for this configuration file" when the release boots, so
    the imported file's variables are never read. Not followed; one warning each."""
    for site in config_files.import_sites(read_text(root / rel, root), rel):
        target = config_files.normalize("config", site.target.replace("{env}", "prod"))
        warnings.append(
            f"{rel}:{site.line}: `import_config` is not allowed in boot-time config: the "
            f'release stops at boot with "import_config/1 is not enabled" before reading '
            f"{target}; evaluate it with `Code.require_file` instead (kubenative follows that) "
            f"or move its settings into {rel}"
        )
    return True


T = TypeVar("T")


def _guard(problems: list[str], fallback: T, call: Callable[[], T]) -> T:
    """``call()``; when it raises what the user can fix, that becomes a problem and
    ``fallback`` stands in, so inspect goes on and shows the rest (init refuses while there is
    a problem: see kubenative.app)."""
    try:
        return call()
    except UserError as err:
        problems.append(str(err))
        return fallback


def _listener(
    root: Path,
    compile_config: tuple[str, ...],
    late_config: tuple[str, ...],
    apps: tuple[App, ...],
    deps: list[Dep],
    warnings: list[str],
) -> tuple[endpoints.Listener, bool]:
    """Where the release listens (``kubenative.project.endpoints``), and whether anything does:
    a release without an endpoint, a web framework, an HTTP server dependency or a port
    setting has no listener."""
    first = [rel for rel in compile_config if rel.endswith("config/config.exs")]
    order = [*first, *[rel for rel in compile_config if rel not in first], *late_config]
    sources = [
        rel
        for app in apps
        for rel in _ex_files(root, "lib" if app.path == "." else f"{app.path}/lib")
    ]
    text_of = lambda p: read_text(p, root)  # noqa: E731
    found = endpoints.read(root, order, text_of, late_config, sources)
    warnings.extend(found.warnings)
    for endpoint in found.endpoints:
        if endpoint.server == "off":
            warnings.append(
                f"{endpoint.where}: {endpoint.module} has `server: false` in prod: it will not "
                "serve HTTP (kubenative keeps an explicit setting)"
            )
    app_of = {
        rel: app.name
        for app in apps
        for rel in sources
        if app.path == "." or rel.startswith(f"{app.path}/")
    }
    others = sockets.read(root, sources, order, text_of, lambda rel: app_of.get(rel, ""))
    # HTTP servers the code starts (Plug.Cowboy, Bandit, :inets) whose port can be read: beside
    # the endpoints' ports, or instead of an app-level `port:` setting when there is none.
    # One that starts only when its port is set (bob's metrics server, BOB_METRICS_PORT) is
    # in others.optional instead: listed, never exposed (see kubenative.project.sockets).
    code = [p for p in others.http if p.port is not None or p.env is not None]
    configured = [p for p in found.ports if p.endpoint]
    # An app-level `config :app, port: N` that a non-HTTP listener reads is that listener's.
    app_level = [p for p in found.ports if not p.endpoint and (p.app, "port") not in others.claimed]
    ports = endpoints.unique_names([*configured, *code] if configured else code or app_level)
    if not configured:
        lead = ports[0] if ports else None
        found = replace(
            found,
            port=lead.port if lead else None,
            port_env=lead.env if lead else None,
        )
    found = replace(found, ports=ports, others=others.sockets, optional=others.optional)
    prod_deps = {d.name for d in deps if d.only is None or "prod" in d.only}
    http = bool(
        found.endpoints
        or any(a.phoenix for a in apps)
        or prod_deps & endpoints.HTTP_SERVERS
        or others.http
        or (bool(ports) and not found.endpoints)
    )
    return found, http


def _ex_files(root: Path, folder: str) -> list[str]:
    """The ``.ex`` files under ``folder``, relative to the root, sorted."""
    return sorted(_rel(p, root) for p in (root / folder).rglob("*.ex") if p.is_file())


SKIP_DIRS = frozenset({".git", "_build", "deps", "node_modules", ".elixir_ls"})


def _gitignores(root: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every .gitignore in the project (not in build output or dependencies), top first."""
    found: list[tuple[str, tuple[str, ...]]] = []

    def visit(folder: Path) -> None:
        ignore = folder / ".gitignore"
        if ignore.is_file():
            found.append((_rel(folder, root), tuple(read_text(ignore, root).splitlines())))
        for child in sorted(folder.iterdir()):
            if child.is_dir() and not child.is_symlink() and child.name not in SKIP_DIRS:
                visit(child)

    visit(root)
    return tuple(sorted(found, key=lambda item: (item[0] != ".", item[0])))
