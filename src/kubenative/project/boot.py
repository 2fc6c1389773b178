"""What the release does at boot, for the Kubernetes manifests: the environment variables it
reads, a health route, the Ecto repos to
migrate and the project's own release module. Each is read from the files with the
tree-sitter parser; nothing is run."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kubenative.errors import ParseError, UserError
from kubenative.project import (
    clustering,
    config_files,
    distribution,
    env_vars,
    follow,
    migrations,
)
from kubenative.project.elixir_ast import (
    Atom,
    ElixirModule,
    Evaluator,
    find_modules,
    keyword_get,
    keyword_items,
)
from kubenative.project.elixir_parse import parse_source
from kubenative.project.elixir_tree import Node, call_arguments, call_name, do_body, text, walk
from kubenative.project.model import EnvVar, Project
from kubenative.project.prod_walk import prod_walk

# Last segment of a route that is a health check.
HEALTH_NAMES = ("health", "healthz", "healthcheck", "health_check", "livez", "readyz", "ready")


def read(root: Path, project: Project) -> dict[str, Any]:
    """The boot facts, as keyword arguments for ``dataclasses.replace(project, ...)``."""
    repos, repo_app = _ecto_repos(root, project.compile_config)
    warnings: list[str] = []
    modules = _modules(root, project, warnings)
    return {
        "warnings": project.warnings + tuple(warnings),
        "env": _env(root, project),
        **_health(modules, project),
        "ecto_repos": repos,
        "ecto_app": repo_app,
        "release_module": migrations.release_module(modules),
        "migrate_script": migrations.overlay_script(
            root, project.releases[0].templates if project.releases else "rel"
        )
        if project.release_tool == "mix"
        else None,
        "migrate_eval": migrations.procfile_eval(root),
        **_url_hosts(root, project),
        "release_commands": _release_commands(root),
        "clustering": _clustering(root, project),
        "distribution": distribution.read(
            root,
            project.release_tool,
            project.releases[0].templates if project.releases else "rel",
        ),
    }


def _config_order(root: Path, project: Project) -> list[str]:
    """The config files in the order a prod release evaluates them."""
    first = [rel for rel in project.compile_config if rel.endswith("config/config.exs")]
    config = [*first, *(r for r in project.compile_config if r not in first)]
    config += [*project.late_config]
    config += [r for r in project.boot_reads if r.endswith(".exs") and (root / r).is_file()]
    if project.release_tool == "distillery":
        # Distillery config providers evaluate these .exs files at boot.
        providers = (root / "rel").glob("config/*.exs")
        config += sorted(p.relative_to(root).as_posix() for p in providers)
    return config


def _url_hosts(root: Path, project: Project) -> dict[str, Any]:
    """What each endpoint's ``url: [host: ...]`` is at boot (the last setting wins): the host
    Phoenix builds URLs and checks origins with, often read from a variable. ``url_host`` is
    the first endpoint's (the app's own; others serve metrics or admin pages)."""
    modules = [e.module for e in project.endpoints]
    files = [follow.SourceFile(rel, _source(root, rel)) for rel in _config_order(root, project)]
    follower = follow.Follower(files, project.release_tool == "distillery")
    found: dict[str, follow.Setting] = {}
    for file in files:
        for node in prod_walk(file.root):
            if call_name(node) != "config":
                continue
            args = call_arguments(node)
            if len(args) != 3 or args[1].type != "alias" or text(args[1]) not in modules:
                continue
            url = follow.pair(args[2], "url") if args[2].type in ("keywords", "list") else None
            host = follow.pair(url, "host") if url is not None else None
            if host is not None:
                found[text(args[1])] = follower.setting("host", file, host)
    main = found.get(modules[0]) if modules else None
    others = tuple(s.env for s in found.values() if s.env)
    return {"url_host": main, "url_host_vars": others}


def _clustering(root: Path, project: Project) -> clustering.Clustering:
    config = _config_order(root, project)
    lib = [p.relative_to(root).as_posix() for p in _lib_files(root, project)]
    distillery = project.release_tool == "distillery"
    return clustering.read(root, project.mix_files, config, lib, distillery=distillery)


def _source(root: Path, rel: str) -> str:
    try:
        return (root / rel).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UserError(f"{rel}: cannot read ({err})") from err


def _env(root: Path, project: Project) -> tuple[EnvVar, ...]:
    found: list[EnvVar] = []
    boot = list(project.late_config)
    # Config files runtime.exs evaluates (`Code.require_file("config/runtime/mailer.exs")`):
    # their reads happen at boot too.
    boot += [r for r in project.boot_reads if r.endswith(".exs") and (root / r).is_file()]
    if project.release_tool == "distillery":
        # Distillery config providers evaluate these .exs files at boot.
        boot += sorted(p.relative_to(root).as_posix() for p in (root / "rel").glob("config/*.exs"))
    for rel in boot:
        found.extend(env_vars.read(_source(root, rel), rel))
    for rel in project.compile_config:
        found.extend(env_vars.system_tuples(_source(root, rel), rel))
    if project.release_tool == "distillery":
        for rel in project.compile_config:
            found.extend(env_vars.placeholders(_source(root, rel), rel, elixir=True))
        if (root / "rel" / "vm.args").is_file():
            found.extend(
                env_vars.placeholders(_source(root, "rel/vm.args"), "rel/vm.args", elixir=False)
            )
    return env_vars.merge(found)


def _ecto_repos(root: Path, config: Sequence[str]) -> tuple[tuple[str, ...], str | None]:
    """``config :app, ecto_repos: [App.Repo]`` in compile-time config."""
    for rel in config:
        for node in walk(parse_source(_source(root, rel), rel)):
            if call_name(node) != "config":
                continue
            args = call_arguments(node)
            if len(args) != 2 or args[0].type != "atom":
                continue
            repos = keyword_get(Evaluator().evaluate(args[1]), "ecto_repos")
            if isinstance(repos, list) and repos:
                names = tuple(str(r) for r in repos if not isinstance(r, Atom))
                return names, text(args[0]).lstrip(":")
    return (), None


def _lib_files(root: Path, project: Project) -> list[Path]:
    return sorted(path for app in project.apps for path in (root / app.path / "lib").rglob("*.ex"))


def _modules(root: Path, project: Project, warnings: list[str]) -> list[ElixirModule]:
    """Every module under the apps' lib/ folders. A file the parser cannot read (valid Elixir
    tree-sitter-elixir gets wrong: logflare's ``~S(\\)``) is left out with a warning: what
    it holds (a health route, a release module) is not seen, nothing else depends on it."""
    modules: list[ElixirModule] = []
    for path in _lib_files(root, project):
        rel = path.relative_to(root).as_posix()
        try:
            modules += find_modules(parse_source(_source(root, rel), rel))
        except ParseError as err:
            warnings.append(
                f"{err}: kubenative reads no health route or release module from this file"
            )
    return modules


def _health(modules: Sequence[ElixirModule], project: Project) -> dict[str, str | None]:
    """The first GET (or forward) route whose last segment names a health check, in a router
    module (``use MyAppWeb, :router``, ``use Phoenix.Router``, ``use Plug.Router``), or the path
    a Plug answers itself (``def call(%Plug.Conn{request_path: "/health"} = conn, _)``, plugged
    into the endpoint before the router); and the endpoint that plugs that module, whose port
    the probes use (a project may serve its health check on an internal endpoint of its own).
    """
    for module in modules:
        found = _routes(module.body, "") if _is_router(module.body) else []
        found += _plug_paths(module)
        for route in found:
            last = route.rstrip("/").rsplit("/", 1)[-1]
            if last in HEALTH_NAMES:
                endpoint = _plugged_by(module.name, modules, project)
                return {"health_path": route, "health_endpoint": endpoint}
    return {"health_path": None, "health_endpoint": None}


def _plugged_by(name: str, modules: Sequence[ElixirModule], project: Project) -> str | None:
    """The endpoint module with ``plug <name>`` in its body (its last segment counts: an
    endpoint names its router through an alias)."""
    endpoints = {e.module for e in project.endpoints}
    last = name.rsplit(".", 1)[-1]
    for module in modules:
        if module.name not in endpoints:
            continue
        for expr in module.body:
            args = call_arguments(expr) if call_name(expr) == "plug" else []
            if args and args[0].type == "alias":
                plugged = "".join(text(args[0]).split())
                if plugged == name or plugged.rsplit(".", 1)[-1] == last:
                    return module.name
    return None


def _is_router(body: Sequence[Node]) -> bool:
    for expr in body:
        if call_name(expr) == "use":
            words = " ".join(text(a) for a in call_arguments(expr))
            if "Router" in words or ":router" in words:
                return True
    return False


def _join(prefix: str, path: str) -> str:
    joined = prefix.rstrip("/") + "/" + path.lstrip("/")
    return joined if joined == "/" else joined.rstrip("/")


def _routes(body: Sequence[Node], prefix: str) -> list[str]:
    found: list[str] = []
    for expr in body:
        name = call_name(expr)
        args = call_arguments(expr)
        first = Evaluator().evaluate(args[0]) if args else None
        if name == "scope":
            inner = do_body(expr) or []
            scope = first if isinstance(first, str) else ""
            found.extend(_routes(inner, _join(prefix, scope) if scope else prefix))
        elif name in ("get", "forward", "match") and isinstance(first, str):
            found.append(_join(prefix, first))
        elif name == "pipeline":
            continue
    return found


def _release_commands(root: Path) -> tuple[str, ...]:
    """The custom commands of the release Distillery builds: ``set commands: [migrate:
    "rel/..."]`` in its environment or a release (not the template's ``environment :dev``)."""
    rel = "rel/config.exs"
    if not (root / rel).is_file():
        return ()
    names: list[str] = []
    for commands in config_files.distillery_settings(_source(root, rel), "commands", rel):
        names.extend(name for name, _ in keyword_items(commands))
    return tuple(names)


def _plug_paths(module: ElixirModule) -> list[str]:
    """Paths matched by a ``request_path: "..."`` pattern in the head of a ``call/2`` clause."""
    found: list[str] = []
    for clause in module.functions.get(("call", 2), []):
        for node in walk(clause.params[0]):
            if node.type != "pair":
                continue
            key, value = node.child_by_field_name("key"), node.child_by_field_name("value")
            if key is None or value is None or text(key).strip() != "request_path:":
                continue
            path = Evaluator().evaluate(value)
            if isinstance(path, str) and path.startswith("/"):
                found.append(path)
    return found
