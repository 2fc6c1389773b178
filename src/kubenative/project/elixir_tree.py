"""tree-sitter-elixir's syntax tree: the parser, and what the readers ask of a node (its text, a
call's name and arguments (a piped-in first one included: :func:`arguments`), a ``do`` body,
a keyword's name, a keyword list's pairs, a string's content). Trees come from
:func:`kubenative.project.elixir_parse.parse_source`."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import TypeAlias

import tree_sitter
import tree_sitter_elixir

Node: TypeAlias = tree_sitter.Node


@cache
def parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_elixir.language()))


def text(node: Node) -> str:
    """The source text of ``node``."""
    raw = node.text
    return raw.decode("utf-8", errors="replace") if raw is not None else ""


def walk(node: Node) -> Iterator[Node]:
    """``node`` and every named node under it, in source order (no recursion)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.named_children))


def remote_call(node: Node) -> tuple[str, str] | None:
    """``("System", "get_env")`` for ``System.get_env(...)``, ``("os", "cmd")`` for
    ``:os.cmd(...)``; None for anything but a remote call."""
    if node.type != "call":
        return None
    target = node.child_by_field_name("target")
    if target is None or target.type != "dot":
        return None
    left, right = target.child_by_field_name("left"), target.child_by_field_name("right")
    if left is None or right is None or right.type != "identifier":
        return None
    if left.type == "alias":
        return "".join(text(left).split()), text(right)
    if left.type == "atom":
        return text(left)[1:], text(right)
    return None


def first_error(node: Node) -> Node | None:
    """The first ERROR or missing node in source order."""
    return next(error_nodes(node), None)


def error_nodes(node: Node) -> Iterator[Node]:
    """The ERROR and missing nodes (not those inside an ERROR), in source order, without
    recursion: trees may be deep."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.is_missing or current.type == "ERROR":
            yield current
        elif current.has_error:
            stack.extend(reversed(current.children))


def call_name(node: Node) -> str | None:
    """The function name of a local call node (``def``, ``use``, ``deps``...), else None."""
    if node.type != "call":
        return None
    target = node.child_by_field_name("target")
    return text(target) if target is not None and target.type == "identifier" else None


def remote_name(node: Node) -> str | None:
    """The dotted name of a remote call: ``File.read!``, ``Path.join``, ``:code.priv_dir``."""
    found = remote_call(node)
    if found is None:
        return None
    module, function = found
    return f"{':' if module[:1].islower() else ''}{module}.{function}"


def call_arguments(node: Node) -> list[Node]:
    """The argument nodes of a call (without the ``do_block``), comments skipped."""
    for child in node.named_children:
        if child.type == "arguments":
            return [c for c in child.named_children if c.type != "comment"]
    return []


def piped_into(node: Node) -> Node | None:
    """The ``left |> node`` expression when ``node`` is the call on the right of a pipe."""
    parent = node.parent
    if parent is None or parent.type != "binary_operator" or operator(parent) != "|>":
        return None
    return parent if parent.child_by_field_name("right") == node else None


def arguments(node: Node) -> list[Node]:
    """The arguments a call receives: in Elixir ``x |> f(a)`` is ``f(x, a)``, so the left side
    of a pipe whose right side is ``node`` comes first (``"PORT" |> System.get_env("4000")``
    reads PORT with the default "4000"). Every reader of a function's arguments by position
    asks here; :func:`call_arguments` is for macros and forms nobody pipes into (``config``,
    ``def``, ``use``)."""
    pipe = piped_into(node)
    left = pipe.child_by_field_name("left") if pipe is not None else None
    args = call_arguments(node)
    return [left, *args] if left is not None else args


def call_of(node: Node) -> Node:
    """The call an expression is: the right side of ``x |> f(...)`` (whose :func:`arguments`
    start with ``x``), else ``node`` itself."""
    if node.type == "binary_operator" and operator(node) == "|>":
        right = node.child_by_field_name("right")
        if right is not None and right.type == "call":
            return right
    return node


def expression(node: Node) -> Node:
    """The whole expression a call's value is: the ``x |> node`` pipe when it is the right side
    of one (what an ``||`` or a further ``|>`` applies to), else ``node``."""
    return piped_into(node) or node


def do_body(node: Node) -> list[Node] | None:
    """The body expressions of a call's ``do`` (block or ``do:`` keyword), or None."""
    for child in node.named_children:
        if child.type == "do_block":
            return [c for c in child.named_children if c.type not in ("comment",)]
    args = call_arguments(node)
    if args and args[-1].type == "keywords":
        for pair in args[-1].named_children:
            key = pair.child_by_field_name("key")
            value = pair.child_by_field_name("value")
            if key is not None and value is not None and keyword_name(key) == "do":
                return [value]
    return None


def keyword_name(key: Node) -> str | None:
    """The atom name of a ``keyword`` (``app:``) or ``quoted_keyword`` (``"a.b":``) key node."""
    if key.type == "keyword":
        return text(key).strip().removesuffix(":")
    if key.type == "quoted_keyword":
        return quoted_text(key)
    return None


def pairs(node: Node) -> Iterator[tuple[str, Node]]:
    """The (key, value node) pairs of a keyword list (``[a: 1]`` or bare ``a: 1``)."""
    holders = [node] if node.type == "keywords" else []
    if node.type == "list":
        holders = [c for c in node.named_children if c.type == "keywords"]
    for holder in holders:
        for pair in holder.named_children:
            key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
            name = keyword_name(key) if key is not None else None
            if name is not None and value is not None:
                yield name, value


def operator(node: Node) -> str:
    op = node.child_by_field_name("operator")
    return text(op) if op is not None else ""


_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "s": " ",
    "e": "\x1b",
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "\n": "",
}


def unescape(seq: str) -> str:
    body = seq[1:]
    if body[:1] in ("x", "u") and len(body) > 1:
        try:
            return chr(int(body[1:].strip("{}"), 16))
        except ValueError:
            return body
    return _ESCAPES.get(body, body)


def quoted_text(node: Node) -> str | None:
    """The content of a string-like node, or None when it interpolates."""
    parts: list[str] = []
    for child in node.named_children:
        if child.type == "quoted_content":
            parts.append(text(child))
        elif child.type == "escape_sequence":
            parts.append(unescape(text(child)))
        elif child.type == "interpolation":
            return None
    result = "".join(parts)
    start = node.child_by_field_name("quoted_start")
    end = node.child_by_field_name("quoted_end")
    if start is not None and end is not None and text(start) in ('"""', "'''"):
        indent = end.start_point[1]
        lines = result.removeprefix("\n").split("\n")
        result = "\n".join(line[indent:] if line[:indent].isspace() else line for line in lines)
    return result
