"""Read a ``mix.lock``: an Elixir map literal from dependency name to a locked-source tuple."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from kubenative.errors import ParseError
from kubenative.project.elixir_ast import Atom, Evaluator, Value, keyword_get
from kubenative.project.elixir_parse import parse_source
from kubenative.project.elixir_tree import Node, keyword_name, text


@dataclass(frozen=True)
class LockEntry:
    """One locked dependency. ``repo`` is ``"hexpm"`` or ``"hexpm:<org>"`` for hex entries."""

    name: str
    scm: str
    version: str | None = None
    package: str | None = None
    build_tools: tuple[str, ...] = ()
    repo: str | None = None
    git_url: str | None = None
    git_ref: str | None = None
    deps: tuple[str, ...] = ()
    optional_deps: tuple[str, ...] = ()


def parse_mix_lock(source: str, path: str = "mix.lock") -> tuple[LockEntry, ...]:
    """Parse a ``mix.lock`` (both ``"name": {...}`` and ``"name" => {...}`` forms), by name."""
    root = parse_source(source, path)
    exprs = [n for n in root.named_children if n.type != "comment"]
    if not exprs:
        return ()
    if len(exprs) != 1 or exprs[0].type != "map":
        _fail(path, exprs[0], "expected a single map literal `%{...}`")
    evaluator = Evaluator()
    entries: list[LockEntry] = []
    for key_node, value_node in _map_entries(path, exprs[0]):
        is_key = key_node.type in ("keyword", "quoted_keyword")
        name = keyword_name(key_node) if is_key else evaluator.evaluate(key_node)
        if not isinstance(name, str | Atom):
            _fail(path, key_node, "expected a dependency name")
        entry = _entry(str(name), evaluator.evaluate(value_node))
        if entry is None:
            _fail(path, value_node, f"unrecognised lock entry for `{name}`")
        entries.append(entry)
    return tuple(sorted(entries, key=lambda e: e.name))


def _fail(path: str, node: Node, detail: str) -> NoReturn:
    raise ParseError(path, node.start_point[0] + 1, node.start_point[1] + 1, detail)


def _map_entries(path: str, node: Node) -> list[tuple[Node, Node]]:
    content = [c for c in node.named_children if c.type != "comment"]
    if not content:
        return []
    if len(content) != 1 or content[0].type != "map_content":
        _fail(path, node, "expected a plain map literal `%{...}`")
    entries: list[tuple[Node, Node]] = []
    for child in content[0].named_children:
        if child.type == "keywords":
            pairs = [
                (p.child_by_field_name("key"), p.child_by_field_name("value"))
                for p in child.named_children
            ]
        elif (
            child.type == "binary_operator"
            and text(child.child_by_field_name("operator") or child) == "=>"
        ):
            pairs = [(child.child_by_field_name("left"), child.child_by_field_name("right"))]
        elif child.type == "comment":
            continue
        else:
            _fail(path, child, 'expected `"name": {...}` or `"name" => {...}`')
        for key, value in pairs:
            if key is None or value is None:
                _fail(path, child, "incomplete map entry")
            entries.append((key, value))
    return entries


def _strings(value: Value) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(v) for v in value if isinstance(v, str | Atom))


def _entry(name: str, value: Value) -> LockEntry | None:
    if not isinstance(value, tuple) or not value or not isinstance(value[0], Atom):
        return None
    scm = value[0].name
    fields = list(value[1:]) + [None] * 7
    if scm == "hex":
        package, version, _hash, tools, deps, repo = fields[:6]
        dep_names: list[str] = []
        optional: list[str] = []
        for dep in deps if isinstance(deps, list) else []:
            if isinstance(dep, tuple) and dep and isinstance(dep[0], Atom):
                dep_names.append(dep[0].name)
                if len(dep) == 3 and keyword_get(dep[2], "optional") is True:
                    optional.append(dep[0].name)
        return LockEntry(
            name=name,
            scm=scm,
            version=version if isinstance(version, str) else None,
            package=str(package) if isinstance(package, Atom | str) else None,
            build_tools=_strings(tools),
            repo=repo if isinstance(repo, str) else "hexpm",
            deps=tuple(dep_names),
            optional_deps=tuple(optional),
        )
    if scm == "git":
        url, ref = fields[:2]
        return LockEntry(
            name=name,
            scm=scm,
            git_url=url if isinstance(url, str) else None,
            git_ref=ref if isinstance(ref, str) else None,
        )
    return LockEntry(name=name, scm=scm)
