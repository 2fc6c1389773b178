"""Read an Elixir project's files into a :class:`Project`. Reads only; never runs Mix or Docker.

This module assembles the project from the parts: ``layout`` (the Mix projects and the lock),
``dependencies``, ``config_chain``, ``pipelines``, ``constraint_files``, ``listeners`` (with
``copies``), read through ``reading``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from kubenative.errors import UserError
from kubenative.project import boot, constraints, copies, endpoints, poncho
from kubenative.project import releases as release_rules
from kubenative.project.config_chain import Config, read_config
from kubenative.project.constraint_files import read_constraints
from kubenative.project.dependencies import (
    git_deps,
    hex_deps,
    hex_organizations,
    hex_repos,
    native_deps,
    programs,
)
from kubenative.project.elixir_parse import partial_reads
from kubenative.project.layout import Layout, mix_files, project_name, read_layout
from kubenative.project.listeners import read_listener
from kubenative.project.model import Project, Release, ReleaseTool
from kubenative.project.pipelines import project_assets
from kubenative.project.reading import gitignored, guard, read_gitignores, read_text

DATABASES = (
    ("postgrex", "postgres"),
    ("myxql", "mysql"),
    ("mariaex", "mysql"),
    ("ecto_sqlite3", "sqlite"),
    ("exqlite", "sqlite"),
    ("tds", "mssql"),
)
DEFAULT_PORT = 4000


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
            root, app, inspect_project, lambda p: read_text(p, root), read_gitignores
        )
    if not (root / "mix.exs").is_file():
        _no_mix_exs(root, root_arg)
    # A source file the parser cannot read whole is read in part, with one warning (see
    # elixir_parse.strict_file for the files that are refused instead: a problem).
    with partial_reads() as partial:
        project = _inspect_mix_project(root)
    return replace(project, warnings=(*project.warnings, *partial.warnings))


def _inspect_mix_project(root: Path) -> Project:
    """The Mix project at ``root``. Each step appends its warnings in turn: the order of the
    steps is the order the user reads the warnings in. What stops the build but still leaves
    something to show (a config file or lock that does not parse, an invalid package.json, an
    empty ``releases:``) is a problem: the step that met it stands down and the rest goes on."""
    warnings: list[str] = []
    problems: list[str] = []
    layout = read_layout(root, warnings, problems)
    no_release: tuple[ReleaseTool | None, tuple[Release, ...]] = (None, ())
    release_tool, releases = guard(
        problems,
        no_release,
        lambda: release_rules.releases(
            root, layout.top, layout.apps, layout.all_deps, lambda p: read_text(p, root), warnings
        ),
    )
    config = read_config(root, layout.members, warnings, problems)
    assets = project_assets(root, layout, config, warnings, problems)
    none: tuple[constraints.Constraint, ...] = ()
    found_constraints = guard(
        problems,
        none,
        lambda: read_constraints(root, layout, release_tool, config.late_config, assets),
    )
    natives = native_deps(root, layout.lock, layout.members, warnings, problems)
    listener, http_server, found = guard(
        problems,
        (endpoints.Listener((), None, None, False, ()), True, copies.Copies((), (), (), (), ())),
        lambda: _listener_and_copies(root, layout, config, warnings),
    )
    release_reads: tuple[str, ...] = guard(
        problems,
        tuple[str, ...](),
        lambda: release_rules.release_reads(
            root, release_tool, releases, lambda p: read_text(p, root), warnings, found.source_dirs
        ),
    )
    distillery = layout.locked.get("distillery")
    project = Project(
        root=str(root),
        name=project_name(layout.top, layout.apps, root),
        umbrella=layout.top.umbrella,
        apps=layout.apps,
        release_tool=release_tool,
        releases=releases,
        assets=assets,
        native_deps=natives,
        git_deps=git_deps(layout),
        hex_deps=hex_deps(layout),
        hex_organizations=hex_organizations(layout),
        hex_repos=hex_repos(layout),
        database=next((db for dep, db in DATABASES if dep in layout.dep_names), None),
        port=listener.port or DEFAULT_PORT,
        port_env=listener.port_env,
        http_server=http_server,
        endpoints=listener.endpoints,
        serve_endpoints=listener.serve_endpoints,
        ports=listener.ports if http_server else (),
        other_listeners=listener.others,
        optional_listeners=listener.optional,
        unread_ports=listener.unread if http_server else (),
        has_lock=layout.has_lock,
        distillery_version=distillery.version if distillery else None,
        mix_files=mix_files(layout.members),
        compile_config=tuple(sorted({*config.compile_config, *found.config_reads})),
        late_config=config.late_config,
        source_dirs=found.source_dirs,
        has_rel_dir=(root / "rel").is_dir(),
        start_script=guard(problems, None, lambda: _start_script(root, releases)),
        commands=guard(problems, (), lambda: programs(root, layout)),
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
    booted: dict[str, Any] = guard(problems, {}, lambda: boot.read(root, project))
    return replace(project, **booted, problems=tuple(dict.fromkeys(problems)))


def _listener_and_copies(
    root: Path, layout: Layout, config: Config, warnings: list[str]
) -> tuple[endpoints.Listener, bool, copies.Copies]:
    # The listener is read first so the build-time read of a frozen port is warned about once
    # (by the listener, which says what it does to the port); its warnings keep their place.
    listener_warnings: list[str] = []
    listener, http_server = read_listener(
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
        gitignored(config.gitignores),
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


def _start_script(root: Path, releases: tuple[Release, ...]) -> str | None:
    """The project's own start script, in the overlays of the first release that has one."""
    for templates in dict.fromkeys(r.templates for r in releases):
        script = release_rules.start_script(root, lambda p: read_text(p, root), templates)
        if script:
            return script
    return None
