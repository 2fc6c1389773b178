"""Statically evaluate literal-ish expressions of Elixir source, in the trees
:func:`kubenative.project.elixir_parse.parse_source` makes (read with ``elixir_tree``).

Nothing here runs Elixir. :class:`Evaluator` folds literals, module attributes and calls to
local ``def``/``defp`` functions into Python values; anything it cannot decide becomes an
:class:`Unknown` carrying the source text, never an exception.

Value mapping: atoms -> :class:`Atom` (``true``/``false``/``nil`` -> ``True``/``False``/``None``),
strings and charlists -> ``str``, integers and chars -> ``int``, floats -> ``float``,
lists -> ``list`` (keyword lists are lists of ``(Atom, value)`` tuples), tuples -> ``tuple``,
maps -> ``dict``, aliases -> :class:`Alias`. A list holding an :class:`Unknown` element is
partially known: the other elements are exact, the unknown one may stand for any number of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from kubenative.project.elixir_tree import (
    Node,
    call_arguments,
    call_name,
    do_body,
    keyword_name,
    operator,
    quoted_text,
    remote_name,
    text,
    unescape,
)


@dataclass(frozen=True)
class Atom:
    """An Elixir atom such as ``:prod`` (``name`` is ``"prod"``)."""

    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Alias:
    """A module alias such as ``Mix.Project``."""

    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Unknown:
    """An expression that cannot be evaluated statically; ``source`` is its text."""

    source: str

    def __str__(self) -> str:
        return self.source


# What a ``remote`` callback of :class:`Evaluator` returns for a call it cannot tell: the
# evaluator makes it Unknown with the call's own source text.
UNKNOWN_CALL = Unknown("")


Value: TypeAlias = (
    "bool | int | float | str | Atom | Alias | Unknown"
    " | list[Value] | tuple[Value, ...] | dict[Value, Value] | None"
)

MAX_CALL_DEPTH = 16


@dataclass(frozen=True)
class Clause:
    """One ``def``/``defp`` clause: parameter nodes, an optional guard, the body expressions."""

    params: tuple[Node, ...]
    guard: Node | None
    body: tuple[Node, ...]


class ElixirModule:
    """A ``defmodule``: its name, body expressions, attributes and function clauses."""

    def __init__(self, name: str, body: Sequence[Node]) -> None:
        self.name = name
        self.body = tuple(body)
        self.functions: dict[tuple[str, int], list[Clause]] = {}
        self.attributes: dict[str, list[tuple[int, Node]]] = {}
        for expr in self.body:
            self._collect(expr)

    def _collect(self, expr: Node) -> None:
        if expr.type == "unary_operator" and operator(expr) == "@":
            operand = expr.child_by_field_name("operand")
            name = call_name(operand) if operand is not None else None
            args = call_arguments(operand) if operand is not None else []
            if name is not None and len(args) == 1:
                self.attributes.setdefault(name, []).append((expr.start_byte, args[0]))
            return
        if call_name(expr) not in ("def", "defp"):
            return
        args = call_arguments(expr)
        body = do_body(expr)
        if not args or body is None:
            return
        head, guard = args[0], None
        if head.type == "binary_operator" and operator(head) == "when":
            guard = head.child_by_field_name("right")
            head = head.child_by_field_name("left") or head
        if head.type == "identifier":
            name, params = text(head), []
        elif (name_ := call_name(head)) is not None:
            name, params = name_, call_arguments(head)
        else:
            return
        clause = Clause(tuple(params), guard, tuple(body))
        self.functions.setdefault((name, len(params)), []).append(clause)

    def uses(self, alias: str) -> bool:
        """Whether the module body has ``use <alias>``."""
        for expr in self.body:
            if call_name(expr) == "use":
                args = call_arguments(expr)
                if args and args[0].type == "alias" and text(args[0]) == alias:
                    return True
        return False


def find_modules(root: Node) -> list[ElixirModule]:
    """Every ``defmodule`` in the tree (nested ones too), in source order."""
    found: list[ElixirModule] = []

    def visit(exprs: Sequence[Node], prefix: str) -> None:
        for expr in exprs:
            if call_name(expr) != "defmodule":
                continue
            args = call_arguments(expr)
            body = do_body(expr)
            if not args or args[0].type != "alias" or body is None:
                continue
            name = prefix + text(args[0])
            found.append(ElixirModule(name, body))
            visit(body, name + ".")

    visit(root.named_children, "")
    return found


def is_keyword(value: Value) -> bool:
    """Whether ``value`` is a (possibly partially known) keyword list."""
    return isinstance(value, list) and all(
        isinstance(item, Unknown)
        or (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], Atom))
        for item in value
    )


def keyword_items(value: Value) -> list[tuple[str, Value]]:
    """The known ``(key, value)`` pairs of a keyword list, in order; [] for anything else."""
    if not isinstance(value, list):
        return []
    return [
        (item[0].name, item[1])
        for item in value
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], Atom)
    ]


def keyword_get(value: Value, key: str, default: Value = None) -> Value:
    """``Keyword.get/3`` over the known pairs: the first value for ``key``, else ``default``."""
    for name, item in keyword_items(value):
        if name == key:
            return item
    return default


def has_unknown(value: Value) -> bool:
    """Whether ``value`` is or contains an :class:`Unknown`."""
    if isinstance(value, Unknown):
        return True
    if isinstance(value, list | tuple):
        return any(has_unknown(item) for item in value)
    if isinstance(value, dict):
        return any(has_unknown(k) or has_unknown(v) for k, v in value.items())
    return False


def strict_equal(a: Value, b: Value) -> bool:
    """Elixir ``===``: like ``==`` but ``True`` is not ``1`` and ``1`` is not ``1.0``."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(strict_equal(x, y) for x, y in zip(a, b, strict=True))
    return a == b


class Evaluator:
    """Evaluate expressions in the context of one module (its attributes and local functions)."""

    def __init__(
        self,
        module: ElixirModule | None = None,
        max_depth: int = MAX_CALL_DEPTH,
        remote: Callable[[str, list[Value]], Value] | None = None,
    ) -> None:
        self.module = module or ElixirModule("", ())
        self.max_depth = max_depth
        self._depth = 0
        # Remote calls (``Mix.env()``, ``Path.join(...)``) are Unknown unless ``remote`` knows
        # them: it gets the dotted name and the evaluated arguments and returns a value.
        self.remote = remote

    def evaluate(self, node: Node, variables: dict[str, Value] | None = None) -> Value:
        """The value of ``node``; :class:`Unknown` for whatever cannot be known statically."""
        return self._eval(node, {} if variables is None else variables)

    def call(self, name: str, *args: Value, source: str | None = None) -> Value:
        """Inline the local function ``name/len(args)``; :class:`Unknown` when undecidable."""
        unknown = Unknown(source or f"{name}({', '.join(map(repr, args))})")
        clauses = self.module.functions.get((name, len(args)))
        if not clauses or self._depth >= self.max_depth:
            return unknown
        for clause in clauses:
            bindings: dict[str, Value] = {}
            matched = [
                self._match(p, a, bindings) for p, a in zip(clause.params, args, strict=True)
            ]
            if False in matched:
                continue
            if None in matched or clause.guard is not None:
                return unknown
            self._depth += 1
            try:
                return self._body(clause.body, bindings)
            finally:
                self._depth -= 1
        return unknown

    def attribute(self, name: str, before: int | None = None) -> Value:
        """The value of ``@name`` as last set before byte offset ``before`` (default: anywhere)."""
        found = [
            n for off, n in self.module.attributes.get(name, []) if before is None or off < before
        ]
        if not found:
            return Unknown(f"@{name}")
        if self._depth >= self.max_depth:
            return Unknown(text(found[-1]))
        self._depth += 1
        try:
            return self._eval(found[-1], {})
        finally:
            self._depth -= 1

    def _body(self, body: Sequence[Node], variables: dict[str, Value]) -> Value:
        result: Value = None
        for expr in body:
            result = self._eval(expr, variables)
        return result

    def _match(self, pattern: Node, value: Value, bindings: dict[str, Value]) -> bool | None:
        """Match ``value`` against a parameter pattern; None when undecidable."""
        if pattern.type == "identifier":
            bindings[text(pattern)] = value
            return True
        if pattern.type in ("tuple", "list"):
            subs = [c for c in pattern.named_children if c.type != "comment"]
            kind = tuple if pattern.type == "tuple" else list
            if isinstance(value, kind) and not any(c.type == "keywords" for c in subs):
                if len(subs) != len(value):
                    return None if has_unknown(value) else False
                results = [self._match(p, v, bindings) for p, v in zip(subs, value, strict=True)]
                return False if False in results else None if None in results else True
        if not _is_literal(pattern) or has_unknown(value):
            return None
        return strict_equal(self._eval(pattern, {}), value)

    def _eval(self, node: Node, variables: dict[str, Value]) -> Value:
        kind = node.type
        handler = _LITERALS.get(kind)
        if handler is not None:
            return handler(node)
        if kind == "block":
            return self._body([c for c in node.named_children if c.type != "comment"], variables)
        if kind == "keywords":
            return self._pairs(node, variables)
        if kind in ("list", "tuple"):
            items: list[Value] = []
            for child in node.named_children:
                if child.type == "keywords" and kind == "list":
                    items.extend(self._pairs(child, variables))
                elif kind == "list" and child.type == "binary_operator" and operator(child) == "|":
                    return items + self._cons(child, variables)
                elif child.type != "comment":
                    items.append(self._eval(child, variables))
            return tuple(items) if kind == "tuple" else items
        if kind == "map":
            return self._map(node, variables)
        if kind == "identifier":
            name = text(node)
            if name in variables:
                return variables[name]
            if name == "__MODULE__" and self.module.name:
                return Alias(self.module.name)
            return self.call(name, source=name)
        if kind == "call":
            fname = call_name(node)
            if any(c.type == "do_block" for c in node.named_children):
                return Unknown(text(node))
            if fname is None:
                dotted = remote_name(node)
                if dotted is None or self.remote is None:
                    return Unknown(text(node))
                args = [self._eval(arg, variables) for arg in call_arguments(node)]
                return self._remote(dotted, args, node)
            args = [self._eval(arg, variables) for arg in call_arguments(node)]
            return self.call(fname, *args, source=text(node))
        if kind == "unary_operator":
            return self._unary(node, variables)
        if kind == "binary_operator":
            return self._binary(node, variables)
        return Unknown(text(node))

    def _cons(self, node: Node, variables: dict[str, Value]) -> list[Value]:
        """``head | tail``, the last element of ``[a, head | tail]``."""
        head, tail = node.child_by_field_name("left"), node.child_by_field_name("right")
        if head is None or tail is None:
            return [Unknown(text(node))]
        rest = self._eval(tail, variables)
        first = self._eval(head, variables)
        return [first, *rest] if isinstance(rest, list) else [first, Unknown(text(tail))]

    def _pipe(self, node: Node, left: Node, right: Node, variables: dict[str, Value]) -> Value:
        """``left |> f(args)`` is ``f(left, args)``, for a local or a remote call."""
        if right.type != "call" or any(c.type == "do_block" for c in right.named_children):
            return Unknown(text(node))
        name = call_name(right)
        dotted = remote_name(right) if name is None else None
        if name is None and (dotted is None or self.remote is None):
            return Unknown(text(node))
        first = self._eval(left, variables)
        args = [first, *(self._eval(arg, variables) for arg in call_arguments(right))]
        if name is not None:
            return self.call(name, *args, source=text(node))
        assert dotted is not None
        return self._remote(dotted, args, node)

    def _remote(self, dotted: str, args: list[Value], node: Node) -> Value:
        """What ``remote`` says of a remote call; :data:`UNKNOWN_CALL` becomes Unknown with the
        call's own source text, as when there is no ``remote`` at all."""
        assert self.remote is not None
        value = self.remote(dotted, args)
        return Unknown(text(node)) if value is UNKNOWN_CALL else value

    def _pairs(self, node: Node, variables: dict[str, Value]) -> list[Value]:
        pairs: list[Value] = []
        for pair in node.named_children:
            key = pair.child_by_field_name("key")
            value = pair.child_by_field_name("value")
            name = keyword_name(key) if key is not None else None
            if name is None or value is None:
                pairs.append(Unknown(text(pair)))
            else:
                pairs.append((_atom(name), self._eval(value, variables)))
        return pairs

    def _map(self, node: Node, variables: dict[str, Value]) -> Value:
        result: dict[Value, Value] = {}
        content = [c for c in node.named_children if c.type not in ("comment",)]
        if len(content) > 1 or (content and content[0].type != "map_content"):
            return Unknown(text(node))  # a struct or a map update
        entries: list[Value] = []
        for child in content[0].named_children if content else []:
            if child.type == "keywords":
                entries.extend(self._pairs(child, variables))
            elif child.type == "binary_operator" and operator(child) == "=>":
                left, right = child.child_by_field_name("left"), child.child_by_field_name("right")
                if left is None or right is None:
                    return Unknown(text(node))
                entries.append((self._eval(left, variables), self._eval(right, variables)))
            elif child.type != "comment":
                return Unknown(text(node))
        for entry in entries:
            if not isinstance(entry, tuple):
                return Unknown(text(node))
            try:
                result[entry[0]] = entry[1]
            except TypeError:  # an unhashable key such as a list
                return Unknown(text(node))
        return result

    def _unary(self, node: Node, variables: dict[str, Value]) -> Value:
        op, operand = operator(node), node.child_by_field_name("operand")
        if operand is None:
            return Unknown(text(node))
        if op == "@":
            if operand.type == "identifier":
                return self.attribute(text(operand), node.start_byte)
            return Unknown(text(node))
        if op in ("-", "+", "not", "!"):
            value = self._eval(operand, variables)
            if op in ("-", "+") and isinstance(value, int | float) and not isinstance(value, bool):
                return -value if op == "-" else value
            if op in ("not", "!") and isinstance(value, bool):
                return not value
        return Unknown(text(node))

    def _binary(self, node: Node, variables: dict[str, Value]) -> Value:
        op = operator(node)
        left_node, right_node = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left_node is None or right_node is None:
            return Unknown(text(node))
        if op == "=":
            value = self._eval(right_node, variables)
            if left_node.type == "identifier":
                variables[text(left_node)] = value
            return value
        if op == "|>":
            return self._pipe(node, left_node, right_node, variables)
        left, right = self._eval(left_node, variables), self._eval(right_node, variables)
        if op == "++" and isinstance(left, list | Unknown) and isinstance(right, list | Unknown):
            if isinstance(left, Unknown) and isinstance(right, Unknown):
                return Unknown(text(node))
            head: list[Value] = left if isinstance(left, list) else [left]
            tail: list[Value] = right if isinstance(right, list) else [right]
            return head + tail
        if op == "<>" and isinstance(left, str) and isinstance(right, str):
            return left + right
        if has_unknown(left) or has_unknown(right):
            return Unknown(text(node))
        if op in ("==", "!=", "===", "!=="):
            same = strict_equal(left, right) if len(op) == 3 else left == right
            return same if op.startswith("=") else not same
        if op in ("and", "or", "&&", "||") and isinstance(left, bool) and isinstance(right, bool):
            return (left and right) if op in ("and", "&&") else (left or right)
        if op in ("+", "-", "*") and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right)
        ):
            assert isinstance(left, int | float) and isinstance(right, int | float)
            return left + right if op == "+" else left - right if op == "-" else left * right
        return Unknown(text(node))


def _atom(name: str) -> Value:
    return {"true": True, "false": False, "nil": None}.get(name, Atom(name))


def _is_literal(node: Node) -> bool:
    return node.type in _LITERALS or node.type == "alias"


def _integer(raw: str) -> int:
    raw = raw.replace("_", "")
    return int(raw, 0) if raw[:2].lower() in ("0x", "0o", "0b") else int(raw)


def _char(node: Node) -> Value:
    body = text(node)[1:]
    char = unescape(body) if body.startswith("\\") else body
    return ord(char) if len(char) == 1 else Unknown(text(node))


def _string(node: Node) -> Value:
    value = quoted_text(node)
    return Unknown(text(node)) if value is None else value


def _quoted_atom(node: Node) -> Value:
    value = quoted_text(node)
    return Unknown(text(node)) if value is None else _atom(value)


def _sigil(node: Node) -> Value:
    name_node = next((c for c in node.named_children if c.type == "sigil_name"), None)
    mods_node = next((c for c in node.named_children if c.type == "sigil_modifiers"), None)
    name = text(name_node) if name_node is not None else ""
    mods = text(mods_node) if mods_node is not None else ""
    if name[:1].isupper():  # raw content; `\)`, the escaped closing delimiter, is `)`
        content: str | None = "".join(
            text(c) if c.type == "quoted_content" else text(c)[1:]
            for c in node.named_children
            if c.type in ("quoted_content", "escape_sequence")
        )
    else:
        content = quoted_text(node)
    if content is None or name.lower() not in ("w", "s", "c"):
        return Unknown(text(node))
    if name.lower() != "w":
        return content
    words = content.split()
    return [Atom(w) for w in words] if "a" in mods else list(words)


_LITERALS: dict[str, Callable[[Node], Value]] = {
    "atom": lambda node: _atom(text(node)[1:]),
    "quoted_atom": _quoted_atom,
    "boolean": lambda node: text(node) == "true",
    "nil": lambda node: None,
    "integer": lambda node: _integer(text(node)),
    "float": lambda node: float(text(node).replace("_", "")),
    "char": _char,
    "string": _string,
    "charlist": _string,
    "sigil": _sigil,
    "alias": lambda node: Alias("".join(text(node).split())),
}
