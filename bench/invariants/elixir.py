"""Elixir source as the sweep reads it: kubenative's tree-sitter parser and readers (allowed:
they read files, they decide nothing), plus the sweep's own folding of path expressions.

Everything kubenative-specific the sweep imports is imported here, so a change of those
readers' API breaks one module (and its unit tests), not the whole sweep.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass

from bench.invariants.shell import normalize
from kubenative.errors import ParseError
from kubenative.project.elixir_ast import Evaluator, Value, find_modules, keyword_get, keyword_items
from kubenative.project.elixir_parse import parse_source
from kubenative.project.elixir_tree import (
    Node,
    call_arguments,
    call_name,
    keyword_name,
    remote_name,
    text,
    walk,
)
from kubenative.project.mix_exs import MixProject, parse_mix_exs
from kubenative.project.mix_lock import LockEntry, parse_mix_lock

__all__ = [
    "Evaluator",
    "LockEntry",
    "MixProject",
    "Node",
    "ParseError",
    "Value",
    "call_arguments",
    "call_name",
    "find_modules",
    "keyword_get",
    "keyword_items",
    "keyword_name",
    "parse",
    "parse_lock",
    "parse_mix",
    "remote_name",
    "text",
    "walk",
]


def parse(source: str, path: str) -> Node | None:
    """The syntax tree, or None when the file does not parse (the sweep skips it)."""
    try:
        return parse_source(source, path)
    except ParseError:
        return None


def parse_mix(source: str, path: str) -> MixProject | None:
    try:
        return parse_mix_exs(source, path)
    except ParseError:
        return None


def parse_lock(source: str, path: str) -> dict[str, LockEntry]:
    try:
        return {entry.name: entry for entry in parse_mix_lock(source, path)}
    except ParseError:
        return {}


def operator(node: Node) -> str:
    op = node.child_by_field_name("operator")
    return text(op) if op is not None else ""


def line(node: Node) -> int:
    return node.start_point[0] + 1


@dataclass(frozen=True)
class Scope:
    """What a path expression may refer to: the file's folder (``__DIR__``, project-relative),
    the file itself (``__ENV__.file``) and the Mix environment."""

    file_dir: str
    file: str
    env: str = "prod"


Folded = str | list[str] | None

_ENV_CALLS = ("Mix.env", "config_env", "Config.config_env")


def fold(node: Node, scope: Scope) -> Folded:
    """The value of a path expression: a string, a list of strings, or None when unknown.

    ``__DIR__`` folds to the file's folder (project-relative), ``Mix.env()``/``config_env()``
    to the environment; ``Path.join/1,2``, ``Path.expand/1,2``, ``Path.absname``,
    ``Path.dirname``, ``<>``, ``[a | b]``, ``~w()`` and pipes are followed.
    """
    kind = node.type
    if kind in ("string", "charlist"):
        parts: list[str] = []
        for child in node.named_children:
            if child.type == "quoted_content":
                parts.append(text(child))
            elif child.type == "interpolation":
                inner = [c for c in child.named_children if c.type != "comment"]
                value = fold(inner[0], scope) if len(inner) == 1 else None
                if not isinstance(value, str):
                    return None
                parts.append(value)
            elif child.type == "escape_sequence":
                return None
        return "".join(parts)
    if kind == "sigil":
        name = next((text(c) for c in node.named_children if c.type == "sigil_name"), "")
        content = "".join(text(c) for c in node.named_children if c.type == "quoted_content")
        if name in ("w", "W"):
            return content.split()
        if name in ("s", "S"):
            return content
        return None
    if kind == "identifier":
        if text(node) == "__DIR__":
            return scope.file_dir
        return None
    if kind == "atom":
        return text(node)[1:]
    if kind == "list":
        items: list[str] = []
        for child in node.named_children:
            if child.type == "comment":
                continue
            if child.type == "binary_operator" and operator(child) == "|":
                head = fold(child.child_by_field_name("left") or child, scope)
                tail = fold(child.child_by_field_name("right") or child, scope)
                if not isinstance(head, str) or not isinstance(tail, list):
                    return None
                items.append(head)
                items.extend(tail)
                continue
            value = fold(child, scope)
            if not isinstance(value, str):
                return None
            items.append(value)
        return items
    if kind == "binary_operator":
        op = operator(node)
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return None
        if op == "<>":
            a, b = fold(left, scope), fold(right, scope)
            return a + b if isinstance(a, str) and isinstance(b, str) else None
        if op == "|>":
            return _call(right, scope, piped=left)
        return None
    if kind == "call":
        if "".join(text(node).split()) in ("__ENV__.file", "__ENV__.file()"):
            return scope.file
        return _call(node, scope)
    return None


def _call(node: Node, scope: Scope, piped: Node | None = None) -> Folded:
    name = remote_name(node) if node.type == "call" else None
    if node.type == "call" and name is None:
        name = call_name(node)
    if name is None:
        return None
    args: list[Folded] = [fold(arg, scope) for arg in call_arguments(node)]
    if piped is not None:
        args.insert(0, fold(piped, scope))
    if name in _ENV_CALLS and not args:
        return scope.env
    if name == "__ENV__.file" or (name == "Path.dirname" and not args):
        return None
    if any(a is None for a in args):
        return None
    if name == "Path.join":
        if len(args) == 1 and isinstance(args[0], list):
            return _join(args[0])
        if len(args) == 2 and all(isinstance(a, str) for a in args):
            return _join([str(args[0]), str(args[1])])
        return None
    if name in ("Path.expand", "Path.absname") and args and isinstance(args[0], str):
        if len(args) == 2 and isinstance(args[1], str):
            return _join([args[1], args[0]])
        return normalize(args[0])
    if name == "Path.dirname" and len(args) == 1 and isinstance(args[0], str):
        return posixpath.dirname(args[0]) or "."
    if name in ("Path.relative_to_cwd", "to_string", "String.trim") and len(args) == 1:
        return args[0]
    return None


def _join(parts: list[str]) -> str:
    joined = ""
    for part in parts:
        joined = part if part.startswith("/") or not joined else posixpath.join(joined, part)
    return normalize(joined)


def arguments(node: Node) -> list[Node]:
    """A call's arguments, with the left side of a pipe into it (``x |> f()``) first."""
    args = call_arguments(node)
    parent = node.parent
    if parent is not None and parent.type == "binary_operator" and operator(parent) == "|>":
        right = parent.child_by_field_name("right")
        left = parent.child_by_field_name("left")
        if right is not None and left is not None and right.id == node.id:
            return [left, *args]
    return args


def calls(root: Node) -> Iterator[tuple[Node, str]]:
    """Every call in the tree with its dotted or local name."""
    for node in walk(root):
        if node.type != "call":
            continue
        name = remote_name(node) or call_name(node)
        if name:
            yield node, name
