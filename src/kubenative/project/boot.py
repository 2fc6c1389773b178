"""What the release does at boot, for the Kubernetes manifests: the environment variables it
reads, a health route, the Ecto repos to
migrate and the project's own release module. Each is read from the files with the
tree-sitter parser; nothing is run."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kubenative.errors import UserError
from kubenative.project import clustering, distribution, env_vars
from kubenative.project.elixir_ast import (
    Atom,
    ElixirModule,
    Evaluator,
    Node,
    call_arguments,
    call_name,
    do_body,
    find_modules,
    keyword_get,
    keyword_items,
    parse_source,
    text,
    walk,
)
from kubenative.project.model import EnvVar, Project

# Last segment of a route that is a health check.
HEALTH_NAMES = ("health", "healthz", "healthcheck", "health_check", "livez", "readyz", "ready")


def read(root: Path, project: Project) -> dict[str, Any]:
    """The boot facts, as keyword arguments for ``dataclasses.replace(project, ...)``."""
    repos, repo_app = _ecto_repos(root, project.compile_config)
    return {
        "env": _env(root, project),
        "health_path": _health_path(root, project),
        "ecto_repos": repos,
        "ecto_app": repo_app,
        "release_module": _release_module(root, project),
        "release_commands": _release_commands(root),
        "clustering": _clustering(root, project),
        "distribution": distribution.read(
            root,
            project.release_tool,
            project.releases[0].templates if project.releases else "rel",
        ),
    }


def _clustering(root: Path, project: Project) -> clustering.Clustering:
    first = [rel for rel in project.compile_config if rel.endswith("config/config.exs")]
    config = [*first, *(r for r in project.compile_config if r not in first)]
    config += [*project.late_config]
    config += [r for r in project.boot_reads if r.endswith(".exs") and (root / r).is_file()]
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


def _release_module(root: Path, project: Project) -> str | None:
    """A module named ``*.Release*`` under lib/ that defines ``migrate/0`` (Phoenix's
    ``MyApp.Release``, Distillery's ``MyApp.ReleaseTasks``)."""
    for path in _lib_files(root, project):
        rel = path.relative_to(root).as_posix()
        for module in find_modules(parse_source(_source(root, rel), rel)):
            last = module.name.rsplit(".", 1)[-1]
            if last.startswith("Release") and ("migrate", 0) in module.functions:
                return module.name
    return None


def _health_path(root: Path, project: Project) -> str | None:
    """The first GET (or forward) route whose last segment names a health check, in a router
    module (``use MyAppWeb, :router``, ``use Phoenix.Router``, ``use Plug.Router``), or the path
    a Plug answers itself (``def call(%Plug.Conn{request_path: "/health"} = conn, _)``, plugged
    into the endpoint before the router)."""
    for path in _lib_files(root, project):
        rel = path.relative_to(root).as_posix()
        for module in find_modules(parse_source(_source(root, rel), rel)):
            found = _routes(module.body, "") if _is_router(module.body) else []
            found += _plug_paths(module)
            for route in found:
                last = route.rstrip("/").rsplit("/", 1)[-1]
                if last in HEALTH_NAMES:
                    return route
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
    """The custom commands of a Distillery release: ``set commands: [migrate: "rel/..."]``."""
    rel = "rel/config.exs"
    if not (root / rel).is_file():
        return ()
    names: list[str] = []
    for node in walk(parse_source(_source(root, rel), rel)):
        if call_name(node) != "set":
            continue
        for arg in call_arguments(node):
            commands = keyword_get(Evaluator().evaluate(arg), "commands")
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
