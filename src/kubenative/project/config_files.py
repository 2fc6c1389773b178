"""Facts read from Elixir config files and Distillery's ``rel/config.exs`` (static reading only)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from tree_sitter import Node

from kubenative.project.elixir_ast import Atom, Evaluator, Value, keyword_get, keyword_items
from kubenative.project.elixir_parse import parse_source
from kubenative.project.elixir_tree import arguments, call_arguments, call_name, text, walk


def _string_literal(node: Node) -> str | None:
    value = Evaluator().evaluate(node)
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class Import:
    """One ``import_config``: its target, line, and whether it sits under an ``if``/``case``."""

    target: str
    line: int
    conditional: bool


def import_sites(source: str, path: str) -> tuple[Import, ...]:
    """Every literal ``import_config "x.exs"``, target relative to the file's folder.

    ``import_config "#{config_env()}.exs"`` and the older ``"#{Mix.env()}.exs"`` are reported
    as ``"{env}.exs"`` (``"runtime/{env}.exs"`` with a folder) so the caller can put in the
    environment it builds for.
    """
    found: list[Import] = []
    for node in walk(parse_source(source, path)):
        if call_name(node) != "import_config":
            continue
        args = call_arguments(node)
        if not args:
            continue
        literal = _string_literal(args[0])
        if literal is None and args[0].type == "string":
            raw = text(args[0]).strip('"')
            if raw.endswith(".exs") and "#{" in raw:
                # Keep the folder (`"runtime/#{config_env()}.exs"` is runtime/{env}.exs).
                literal = _env_path(args[0]) or "{env}.exs"
        if literal is not None:
            found.append(Import(literal, node.start_point[0] + 1, _conditional(node)))
    return tuple(found)


def _env_path(string: Node) -> str | None:
    """The path of an interpolated string whose only interpolation is the environment
    (``config_env()``, ``Mix.env()``), with ``{env}`` in its place; None otherwise."""
    parts: list[str] = []
    for child in string.named_children:
        if child.type == "quoted_content":
            parts.append(text(child))
        elif child.type == "interpolation" and [
            text(c).replace(" ", "") for c in child.named_children
        ] in (["config_env()"], ["Mix.env()"], ["Mix.env"]):
            parts.append("{env}")
        else:
            return None
    return "".join(parts)


def _conditional(node: Node) -> bool:
    parent = node.parent
    while parent is not None:
        if call_name(parent) in ("if", "unless", "case", "cond"):
            return True
        parent = parent.parent
    return False


def imported_configs(source: str, path: str) -> tuple[str, ...]:
    """The targets of :func:`import_sites`."""
    return tuple(site.target for site in import_sites(source, path))


def _pair_values(node: Node, key: str) -> Iterator[Node]:
    """The value of every keyword pair ``key: value`` in the tree under ``node``."""
    for inner in walk(node):
        if inner.type != "pair":
            continue
        name = inner.child_by_field_name("key")
        value = inner.child_by_field_name("value")
        if name is not None and value is not None and text(name).strip() == f"{key}:":
            yield value


def distillery_releases(source: str, path: str) -> tuple[tuple[str, ...], str | None]:
    """Release names declared with ``release :name do`` and the ``default_release`` setting."""
    names: list[str] = []
    default: str | None = None
    for node in walk(parse_source(source, path)):
        name = call_name(node)
        args = call_arguments(node) if name else []
        if name == "release" and args and args[0].type == "atom":
            names.append(text(args[0]).lstrip(":"))
        if name == "set" and args:
            for value in _pair_values(args[0], "default_release"):
                default = text(value).lstrip(":")
    return tuple(names), default if default and default != "default" else None


def distillery_environment(source: str, rel: str) -> str:
    """The Distillery environment a prod build uses: ``prod`` when the config declares it (or
    declares none), else its ``default_environment`` (a literal atom, e.g. ``:default``, which
    ``mix release`` builds when no ``--env`` is given), else the first one it declares. Passing
    ``--env=prod`` to a config without a prod environment stops the build."""
    return _built_environment(parse_source(source, rel))


def _built_environment(tree: Node) -> str:
    declared: list[str] = []
    default: str | None = None
    for node in walk(tree):
        name = call_name(node)
        args = call_arguments(node) if name else []
        if name == "environment" and args and args[0].type == "atom":
            declared.append(text(args[0]).lstrip(":"))
        if name == "use" and len(args) > 1:
            value = keyword_get(Evaluator().evaluate(args[-1]), "default_environment")
            default = value.name if isinstance(value, Atom) else default
    if "prod" in declared or not declared:
        return "prod"
    return default if default in declared else declared[0]


def distillery_sets(source: str, rel: str = "rel/config.exs") -> Iterator[tuple[Node, str]]:
    """Every ``set`` of ``rel/config.exs`` that reaches the release Distillery builds, with
    where it stands: ``environment`` (inside the environment it builds, see
    :func:`distillery_environment`: ``:prod``, or the ``default_environment`` of a config with
    no prod, as Nebo15/annon.api's ``:default``), ``release`` (a ``release`` block), ``top``.
    A ``set`` in any other environment (the template's ``environment :dev``) never reaches it.
    Every setting kubenative reads from rel/config.exs goes through here: the paths it copies,
    ``include_erts``, ``vm_args``/``erl_opts``, ``commands`` (releases.py, distribution.py,
    boot.py)."""
    tree = parse_source(source, rel)
    environment = _built_environment(tree)
    for node in walk(tree):
        if call_name(node) != "set":
            continue
        scope = _set_scope(node, environment)
        if scope is not None:
            yield node, scope


def _set_scope(node: Node, environment: str) -> str | None:
    parent = node.parent
    while parent is not None:
        name = call_name(parent)
        if name == "environment":
            args = call_arguments(parent)
            # `environment Mix.env() do` is whatever MIX_ENV the build has: prod
            built = not args or args[0].type != "atom" or text(args[0]) == f":{environment}"
            return "environment" if built else None
        if name == "release":
            return "release"
        parent = parent.parent
    return "top"


def distillery_settings(source: str, key: str, rel: str = "rel/config.exs") -> list[Value]:
    """The values of ``set <key>: ...`` that reach the build, in the file's order."""
    evaluator = Evaluator()
    return [
        value
        for node, _ in distillery_sets(source, rel)
        for arg in call_arguments(node)
        if (value := keyword_get(evaluator.evaluate(arg), key)) is not None
    ]


def distillery_includes_erts(source: str, rel: str = "rel/config.exs") -> bool:
    """Whether the release Distillery builds carries ERTS: ``set include_erts: false`` in the
    environment it builds (which wins), else in a ``release`` block. The template's
    ``environment :dev`` sets it false for development only."""
    found: dict[str, bool] = {}
    for node, scope in distillery_sets(source, rel):
        for arg in call_arguments(node):
            for key, value in keyword_items(Evaluator().evaluate(arg)):
                if key == "include_erts":
                    found.setdefault(scope, value is not False)
    return found.get("environment", found.get("release", True))


def normalize(base: str, relative: str) -> str:
    """Join ``relative`` onto the folder ``base`` and fold ``..`` (POSIX, no file system)."""
    parts: list[str] = []
    for part in PurePosixPath(base, relative).parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return "/".join(parts)


def cache_manifest_apps(source: str, path: str) -> tuple[str, ...]:
    """Apps whose config sets ``cache_static_manifest`` (``config :app, App.Endpoint, ...``),
    ``"*"`` for a setting whose app is not a literal atom. Phoenix then expects the digest's
    manifest in the release, and serves undigested URLs without it."""
    apps: set[str] = set()
    for node in walk(parse_source(source, path)):
        if call_name(node) != "config":
            continue
        args = call_arguments(node)
        if not args or not any(True for _ in _pair_values(node, "cache_static_manifest")):
            continue
        apps.add(text(args[0]).lstrip(":") if args[0].type == "atom" else "*")
    return tuple(sorted(apps))


def tool_paths(source: str, path: str) -> dict[str, str]:
    """Tools (esbuild, tailwind, bun, dart_sass) whose binary the config points at with
    ``config :tool, path: ...``: the environment variable the path is read from
    (``System.get_env("MIX_ESBUILD_PATH")``), or "" for a path fixed in the config."""
    found: dict[str, str] = {}
    for node in walk(parse_source(source, path)):
        if call_name(node) != "config":
            continue
        args = call_arguments(node)
        if not args or args[0].type != "atom":
            continue
        tool = text(args[0]).lstrip(":")
        for value in _pair_values(node, "path"):
            env = ""
            for inner in walk(value):
                if inner.type == "call" and "get_env" in text(inner).split("(", 1)[0]:
                    inner_args = arguments(inner)
                    literal = _string_literal(inner_args[0]) if inner_args else None
                    env = literal or ""
                    break
            found[tool] = env
    return found
