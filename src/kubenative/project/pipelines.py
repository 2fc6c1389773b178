"""Every app's asset pipeline (``kubenative.project.assets``), with what prod config and the
npm lock add to it."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

from kubenative.catalog import versions
from kubenative.project import config_files, deploy_files, steps
from kubenative.project.assets import read_assets, shadowed_tasks
from kubenative.project.config_chain import Config
from kubenative.project.layout import Layout
from kubenative.project.mix_exs import MixProject
from kubenative.project.model import App, Assets
from kubenative.project.npm_lock import NpmLock, entry_line, read_npm_lock
from kubenative.project.reading import guard, read_text


def project_assets(
    root: Path, layout: Layout, config: Config, warnings: list[str], problems: list[str]
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
        item = guard(
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
        lock = guard(problems, None, partial(_npm_lock, root, item))
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
