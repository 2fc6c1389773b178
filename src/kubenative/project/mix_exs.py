"""Read a ``mix.exs`` statically: the project keyword list, deps, releases and aliases.

Only the source text is read; Mix is never run. Fields that cannot be evaluated are left at
their "not set" value and listed in :attr:`MixProject.unknown`, so the caller can decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kubenative.errors import ParseError
from kubenative.project.elixir_ast import (
    UNKNOWN_CALL,
    Atom,
    Evaluator,
    Unknown,
    Value,
    find_modules,
    is_keyword,
    keyword_get,
    keyword_items,
)
from kubenative.project.elixir_parse import parse_source


@dataclass(frozen=True)
class Dep:
    """One entry of ``deps``; ``git`` is also set (to the GitHub URL) for ``github:`` deps."""

    name: str
    requirement: str | None = None
    only: tuple[str, ...] | None = None
    runtime: bool = True
    in_umbrella: bool = False
    path: str | None = None
    git: str | None = None
    github: str | None = None
    organization: str | None = None
    repo: str | None = None  # a Hex repository other than hexpm (`repo: "internal"`)
    hex: str | None = None
    override: bool = False
    optional: bool = False

    @property
    def in_prod(self) -> bool:
        """Whether a prod build fetches it: not limited (``only:``) to other environments."""
        return self.only is None or "prod" in self.only


@dataclass(frozen=True)
class ReleaseSpec:
    """One entry of ``releases``; unset options carry Mix's defaults."""

    name: str
    applications: tuple[tuple[str, str], ...] = ()
    include_executables_for: tuple[str, ...] | None = None
    steps: tuple[str, ...] = ("assemble",)
    include_erts: bool | str = True
    path: str | None = None
    version: str | None = None
    rel_templates_path: str | None = None  # where vm.args.eex, env.sh.eex and overlays/ are
    overlays: tuple[str, ...] = ()  # extra folders copied into the release as they are


@dataclass(frozen=True)
class MixProject:
    """What a ``mix.exs`` declares. ``has_project`` is False when ``def project`` is missing.

    ``unknown`` lists ``(key, source)`` for values that could not be evaluated statically,
    with keys like ``"version"``, ``"deps"`` or ``"deps.phoenix.only"``.
    """

    module: str | None
    has_project: bool = False
    app: str | None = None
    version: str | None = None
    elixir: str | None = None
    umbrella: bool = False
    apps_path: str | None = None
    deps_path: str | None = None
    build_path: str | None = None
    config_path: str | None = None
    lockfile: str | None = None
    deps: tuple[Dep, ...] = ()
    releases: tuple[ReleaseSpec, ...] | None = None
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The folders compiled for prod (``elixirc_paths(Mix.env())`` evaluated with ``:prod``);
    # None when not set (Mix's defaults apply: ["lib"], ["src"], "include") or not readable.
    elixirc_paths: tuple[str, ...] | None = None
    erlc_paths: tuple[str, ...] | None = None
    erlc_include_path: str | None = None
    unknown: tuple[tuple[str, str], ...] = ()

    @property
    def unknown_keys(self) -> frozenset[str]:
        """The keys of :attr:`unknown`."""
        return frozenset(key for key, _ in self.unknown)


class _Reader:
    """Collects converted fields and the keys that could not be evaluated."""

    def __init__(self) -> None:
        self.unknown: list[tuple[str, str]] = []

    def note(self, key: str, value: Value) -> None:
        if isinstance(value, Unknown):
            self.unknown.append((key, value.source))
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, Unknown):
                    self.unknown.append((key, item.source))

    def string(self, key: str, value: Value) -> str | None:
        if isinstance(value, str):
            return value
        self.note(key, value)
        return None

    def name(self, key: str, value: Value) -> str | None:
        if isinstance(value, Atom | str):
            return str(value)
        self.note(key, value)
        return None

    def names(self, key: str, value: Value) -> tuple[str, ...] | None:
        if isinstance(value, Atom | str):
            return (str(value),)
        if isinstance(value, list):
            self.note(key, value)
            return tuple(str(v) for v in value if isinstance(v, Atom | str))
        self.note(key, value)
        return None

    def flag(self, key: str, value: Value, default: bool) -> bool:
        if isinstance(value, bool):
            return value
        if value is not None:
            self.note(key, value)
        return default

    def tasks(self, key: str, value: Value) -> tuple[str, ...]:
        """Task names, atoms or functions (``&fun/1``, ``fn ... end``) kept as source text."""
        if isinstance(value, Unknown) and not value.source.startswith(("&", "fn")):
            self.note(key, value)
            return ()
        items = value if isinstance(value, list) else [value]
        result: list[str] = []
        for item in items:
            if isinstance(item, Unknown) and not item.source.startswith(("&", "fn")):
                self.note(key, item)
            result.append(item if isinstance(item, str) else str(item))
        return tuple(result)


def parse_mix_exs(source: str, path: str = "mix.exs") -> MixProject:
    """Parse a ``mix.exs``; raise :class:`ParseError` on bad syntax or no Mix project module."""
    root = parse_source(source, path)
    modules = find_modules(root)
    module = next((m for m in modules if m.uses("Mix.Project")), None)
    if module is None:
        line = modules[0].body[0].start_point[0] + 1 if modules and modules[0].body else 1
        raise ParseError(path, line, 1, "no `defmodule ... do use Mix.Project` found")
    if ("project", 0) not in module.functions:
        return MixProject(module=module.name)
    evaluator = Evaluator(module, remote=_pure_remote)
    config = evaluator.call("project", source="project()")
    read = _Reader()
    if not is_keyword(config):
        read.note("project", config if isinstance(config, Unknown) else Unknown(str(config)))
        return MixProject(module=module.name, has_project=True, unknown=tuple(read.unknown))

    read.note("project", config)  # e.g. `[app: :x] ++ common()`: keys found there stay unset

    def get(key: str) -> Value:
        return keyword_get(config, key)

    def prod(key: str) -> Value:
        """``key`` as a prod build sees it: ``elixirc_paths(Mix.env())`` picks the prod clause.
        (Only the source folders are read this way; other fields keep Mix.env() undecided.)"""
        if not any(name == key for name, _ in keyword_items(config)):
            return None
        prod_config = Evaluator(module, remote=_prod_remote).call("project", source="project()")
        return keyword_get(prod_config, key)

    apps_path = get("apps_path")
    releases = get("releases")
    return MixProject(
        module=module.name,
        has_project=True,
        app=read.name("app", get("app")),
        version=read.string("version", get("version")),
        elixir=read.string("elixir", get("elixir")),
        umbrella=any(key == "apps_path" for key, _ in keyword_items(config)),
        apps_path=read.string("apps_path", apps_path),
        deps_path=read.string("deps_path", get("deps_path")),
        build_path=read.string("build_path", get("build_path")),
        config_path=read.string("config_path", get("config_path")),
        lockfile=read.string("lockfile", get("lockfile")),
        deps=_deps(read, get("deps")),
        releases=None if releases is None else _releases(read, releases),
        aliases=_aliases(read, get("aliases")),
        elixirc_paths=_paths(read, "elixirc_paths", prod("elixirc_paths")),
        erlc_paths=_paths(read, "erlc_paths", prod("erlc_paths")),
        erlc_include_path=read.string("erlc_include_path", prod("erlc_include_path")),
        unknown=tuple(read.unknown),
    )


def _pure_remote(name: str, args: list[Value]) -> Value:
    """The remote calls a mix.exs makes that have one answer whatever the environment:
    ``List.flatten/1`` (``deps: List.flatten([[...], dev_deps(), ...])``, electric's shape; an
    item that cannot be known stays one Unknown item, so the known deps are still read) and
    ``Mix.target()``, which is ``:host`` unless ``MIX_TARGET`` is set (no image build sets it:
    only Nerves firmware builds do)."""
    if name == "List.flatten" and len(args) == 1 and isinstance(args[0], list):
        return _flatten(args[0])
    if name == "Mix.target" and not args:
        return Atom("host")
    return UNKNOWN_CALL


def _flatten(items: list[Value]) -> list[Value]:
    out: list[Value] = []
    for item in items:
        out.extend(_flatten(item) if isinstance(item, list) else [item])
    return out


def _prod_remote(name: str, args: list[Value]) -> Value:
    """The remote calls a mix.exs makes that have one answer in a prod build: ``Mix.env()``,
    and those that have one answer in any build."""
    if name == "Mix.env" and not args:
        return Atom("prod")
    return _pure_remote(name, args)


def _paths(read: _Reader, key: str, value: Value) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(str(item) for item in value)
    read.note(key, value if isinstance(value, Unknown | list) else Unknown(repr(value)))
    return None


def _deps(read: _Reader, value: Value) -> tuple[Dep, ...]:
    if not isinstance(value, list):
        if value is not None:
            read.note("deps", value)
        return ()
    deps: list[Dep] = []
    for item in value:
        dep = _dep(read, item)
        if dep is None:
            read.note("deps", item if isinstance(item, Unknown) else Unknown(repr(item)))
        else:
            deps.append(dep)
    return tuple(deps)


def _dep(read: _Reader, item: Value) -> Dep | None:
    if not isinstance(item, tuple) or len(item) not in (2, 3) or not isinstance(item[0], Atom):
        return None
    name = item[0].name
    key = f"deps.{name}"
    requirement, opts = item[1], item[2] if len(item) == 3 else []
    if len(item) == 2 and not isinstance(requirement, str | Unknown):
        requirement, opts = None, item[1]
    requirement = read.string(f"{key}.requirement", requirement)
    if isinstance(opts, Unknown):
        read.note(f"{key}.options", opts)
        opts = []
    if not is_keyword(opts):
        return None
    read.note(f"{key}.options", opts)
    github = read.string(f"{key}.github", keyword_get(opts, "github"))
    git = read.string(f"{key}.git", keyword_get(opts, "git"))
    if git is None and github is not None:
        git = f"https://github.com/{github}.git"
    only = keyword_get(opts, "only")
    return Dep(
        name=name,
        requirement=requirement,
        only=None if only is None else read.names(f"{key}.only", only),
        runtime=read.flag(f"{key}.runtime", keyword_get(opts, "runtime"), True),
        in_umbrella=read.flag(f"{key}.in_umbrella", keyword_get(opts, "in_umbrella"), False),
        path=read.string(f"{key}.path", keyword_get(opts, "path")),
        git=git,
        github=github,
        organization=read.name(f"{key}.organization", keyword_get(opts, "organization")),
        repo=read.string(f"{key}.repo", keyword_get(opts, "repo")),
        hex=read.name(f"{key}.hex", keyword_get(opts, "hex")),
        override=read.flag(f"{key}.override", keyword_get(opts, "override"), False),
        optional=read.flag(f"{key}.optional", keyword_get(opts, "optional"), False),
    )


def _releases(read: _Reader, value: Value) -> tuple[ReleaseSpec, ...]:
    read.note("releases", value)
    specs: list[ReleaseSpec] = []
    for name, opts in keyword_items(value):
        key = f"releases.{name}"
        if not is_keyword(opts):
            read.note(key, opts if isinstance(opts, Unknown) else Unknown(repr(opts)))
            specs.append(ReleaseSpec(name=name))
            continue
        read.note(key, opts)
        apps = keyword_get(opts, "applications", [])
        read.note(f"{key}.applications", apps)
        steps = keyword_get(opts, "steps", [Atom("assemble")])
        erts = keyword_get(opts, "include_erts", True)
        if not isinstance(erts, bool | str):
            read.note(f"{key}.include_erts", erts)
            erts = True
        execs = keyword_get(opts, "include_executables_for")
        specs.append(
            ReleaseSpec(
                name=name,
                applications=tuple((app, str(mode)) for app, mode in keyword_items(apps)),
                include_executables_for=None
                if execs is None
                else read.names(f"{key}.include_executables_for", execs),
                steps=read.tasks(f"{key}.steps", steps),
                include_erts=erts,
                path=read.string(f"{key}.path", keyword_get(opts, "path")),
                version=read.string(f"{key}.version", keyword_get(opts, "version")),
                rel_templates_path=read.string(
                    f"{key}.rel_templates_path", keyword_get(opts, "rel_templates_path")
                ),
                overlays=_overlays(read, f"{key}.overlays", keyword_get(opts, "overlays")),
            )
        )
    return tuple(specs)


def _overlays(read: _Reader, key: str, value: Value) -> tuple[str, ...]:
    """``overlays: "rel/extra"`` or a list of such folders."""
    if value is None:
        return ()
    read.note(key, value)
    items = value if isinstance(value, list) else [value]
    return tuple(item for item in items if isinstance(item, str))


def _aliases(read: _Reader, value: Value) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    read.note("aliases", value)
    result: dict[str, tuple[str, ...]] = {}
    for name, tasks in keyword_items(value):
        result[name] = read.tasks(f"aliases.{name}", tasks)
    return result
