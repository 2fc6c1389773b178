"""Parse Elixir source with tree-sitter and statically evaluate literal-ish expressions.

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

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import PurePosixPath
from typing import TypeAlias

import tree_sitter
import tree_sitter_elixir

from kubenative.errors import ParseError

Node: TypeAlias = tree_sitter.Node


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
# Deeper syntax trees are refused with a ParseError: the readers and the evaluator recurse over
# the tree, and no real mix.exs or config nests anywhere near this deep.
MAX_NESTING = 200


@cache
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_elixir.language()))


def text(node: Node) -> str:
    """The source text of ``node``."""
    raw = node.text
    return raw.decode("utf-8", errors="replace") if raw is not None else ""


# One inspect run reads the same file in several readers (config/prod.exs in up to eight:
# imports, endpoints, env vars, tool paths, ...). The tree is a function of the text and the
# path (which names the file in a ParseError and decides whether it is read in part), and the
# readers never edit it, so the same pair is parsed once; a ParseError is raised again on every
# call, and a file read in part is noted again in every collection (see partial_reads).
def parse_source(source: str, path: str) -> Node:
    """Parse ``source`` and return the root node; a syntax error raises :class:`ParseError`.

    Constructs of valid Elixir that tree-sitter-elixir misreads are mended first (see
    ``_mend``). Inside :func:`partial_reads`, a file that still does not parse and that is not
    one of the strict files (:func:`strict_file`) is read in part instead: the root of the tree
    without its broken parts, and one warning for the file in the collection."""
    parsed = _parse(source, path)
    if parsed.error is not None:
        collection = _PARTIAL_READS.get()
        if collection is None or parsed.unread is None:
            raise parsed.error
        collection.note(path, _partial_warning(parsed.error, parsed.unread))
    if parsed.too_deep is not None:
        raise parsed.too_deep
    return parsed.root


def strict_file(path: str) -> bool:
    """Whether ``path`` is refused rather than read in part when it does not parse.

    Strict: every ``mix.exs`` and ``mix.lock``, every ``.exs`` in a ``config`` folder (the
    project's or an umbrella app's, and what they import or evaluate there), and Distillery's
    ``rel/config.exs``. These decide what the image is: the dependencies and with them the
    toolchain and versions, the releases, the config import chain and the files it needs, the
    ports and variables. A broken part of one would silently drop a dependency, an import or a
    release, and the Dockerfile would be wrong with nothing to say so; Mix itself evaluates them
    whole before any build step, so a refusal that names the line costs the user nothing a build
    would not. Every other file (``lib/``, ``apps/*/lib``, scripts, Mix tasks) is read for
    things whose absence has a safe fallback (files read at compile or boot time, programs run,
    listeners, boot commands, clustering): there a partial reading with a warning is better
    than a refusal of a project that Elixir compiles."""
    parts = PurePosixPath(path).parts
    if not parts:
        return True
    name, folders = parts[-1], parts[:-1]
    if name in ("mix.exs", "mix.lock"):
        return True
    if name.endswith(".exs") and "config" in folders:
        return True
    return folders[-1:] == ("rel",) and name == "config.exs"


class PartialReads:
    """The source files read in part during one :func:`partial_reads` block, one warning each
    (in the order they were first met)."""

    def __init__(self) -> None:
        self._by_path: dict[str, str] = {}

    def note(self, path: str, warning: str) -> None:
        self._by_path.setdefault(path, warning)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(self._by_path.values())


_PARTIAL_READS: ContextVar[PartialReads | None] = ContextVar("partial_reads", default=None)


@contextmanager
def partial_reads() -> Iterator[PartialReads]:
    """Within this block, :func:`parse_source` reads a source file that does not parse in part
    (not the strict files) and notes it in the collection it yields. Outside any such block a
    syntax error always raises, so a reader used on its own never hides one."""
    collection = PartialReads()
    token = _PARTIAL_READS.set(collection)
    try:
        yield collection
    finally:
        _PARTIAL_READS.reset(token)


def _partial_warning(error: ParseError, unread: str) -> str:
    where = (
        f"reads this file without the part it cannot parse (in {unread})"
        if unread
        else "cannot read any of this file"
    )
    return (
        f"{error}: kubenative's Elixir parser (tree-sitter-elixir) {where}, so what is written "
        "there (a file read, a program run, a listener, an environment variable) is not taken "
        "into account; fix the syntax if `mix compile` rejects it, else check by hand what "
        "that part needs in the image"
    )


@dataclass(frozen=True)
class _Parsed:
    """One parse: the tree (without its broken parts when ``unread`` is set), the first syntax
    error, the lines left unread ("": all of them; None: not read in part, the file is whole or
    strict), a refusal for depth."""

    root: Node
    error: ParseError | None
    unread: str | None
    too_deep: ParseError | None


@lru_cache(maxsize=256)
def _parse(source: str, path: str) -> _Parsed:
    data = source.encode("utf-8")
    buffer = bytearray(data)
    tree, mended = _mend(buffer)
    root, error, unread = tree.root_node, None, None
    if root.has_error:
        broken = bytearray(buffer)  # the mended bytes, to cut the broken parts out of
        _restore(buffer, mended, ())
        bad = _first_error(root)
        assert bad is not None  # has_error: an ERROR or missing node exists
        error = _syntax_error(data, bad, path)
        if not strict_file(path):
            cut_tree, cut = _cut_broken_parts(broken)
            _restore(broken, mended, cut)
            root, unread = cut_tree.root_node, _line_ranges(data, cut)
    else:
        _restore(buffer, mended, ())
    deep = _too_deep(root)
    too_deep = None
    if deep is not None:
        too_deep = ParseError(
            path,
            deep.start_point[0] + 1,
            deep.start_point[1] + 1,
            f"terms nested more than {MAX_NESTING} levels deep; kubenative does not read "
            "this file (flatten the term, or move it out of mix.exs and config)",
        )
    return _Parsed(root, error, unread, too_deep)


def _syntax_error(data: bytes, bad: Node, path: str) -> ParseError:
    offset = bad.start_byte
    if bad.is_missing:  # report right after the last token, not after trailing blanks
        offset = len(data[:offset].rstrip())
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return ParseError(path, data.count(b"\n", 0, offset) + 1, column, _error_detail(bad))


# tree-sitter-elixir (0.3.5, the newest published) reads a few constructs of valid Elixir
# otherwise than Elixir's own tokenizer does. Each is mended before any reader sees the tree by
# changing bytes tree-sitter reads, never their number: a token becomes one of the same length
# that parses the same way, so every byte offset and line:column of the tree is the source's.
# After the last parse the original bytes are put back into the buffer the tree takes its text
# from (py-tree-sitter keeps the buffer it parsed, not a copy: a unit test holds it to that),
# so text() shows the source as written and a mended sigil has the value Elixir gives it.
#
# 1. An uppercase sigil whose content ends in an even run of backslashes: `~S(\\)`, `~S'\\'`,
#    `~R/a\\/`. Elixir's tokenizer (elixir_interpolation:extract) takes a backslash and the
#    character after it as a pair in every sigil, so `\\` is two backslashes of content and the
#    delimiter after them closes the sigil. In an uppercase sigil tree-sitter pairs a backslash
#    with the closing delimiter only, so it reads `\)` as an escaped delimiter and the sigil runs
#    on into the code after it: a parse error further on, or a silent misreading when a later
#    delimiter happens to close it. This is checked on every parse, error or not. Mended: the
#    last backslash of the run becomes `_` (uppercase sigils have no escapes but that one).
# 2. A trailing comma after the keyword pairs of a map or struct update, `%{map | a: 1,}`: valid
#    Elixir (kw_data allows a trailing comma in elixir_parser.yrl) that tree-sitter rejects.
#    Mended: the comma becomes a space.
# Char literals such as `?,` in `<<?,>>` or `[?,, ?}]` are read right by 0.3.5 (unit tests).
_BACKSLASHES_BEFORE_DELIMITER = re.compile(rb"\\\\[)\]}>|/\"']")
_CLOSERS = {"(": ")", "[": "]", "{": "}", "<": ">"}


def _mend(buffer: bytearray) -> tuple[tree_sitter.Tree, dict[int, int]]:
    """Parse ``buffer``, mending the gaps above in it; the tree and the original byte at each
    mended offset."""
    mended: dict[int, int] = {}
    tree = _parser().parse(buffer)
    for match in _BACKSLASHES_BEFORE_DELIMITER.finditer(bytes(buffer)):
        offset = match.end() - 2  # the last backslash of the run
        run = offset + 1 - len(buffer[: offset + 1].rstrip(b"\\"))
        if run % 2 == 0 and _escapes_sigil_end(tree.root_node, offset):
            mended[offset] = buffer[offset]
            buffer[offset] = ord("_")
            tree = _parser().parse(buffer)
    while tree.root_node.has_error:
        commas = [n.start_byte for n in _errors(tree.root_node) if _update_trailing_comma(n)]
        if not commas:
            break
        for offset in commas:
            mended[offset] = buffer[offset]
            buffer[offset] = ord(" ")
        tree = _parser().parse(buffer)
    return tree, mended


def _escapes_sigil_end(root: Node, offset: int) -> bool:
    """Whether tree-sitter reads the backslash at ``offset`` and the byte after it as the
    escaped closing delimiter of an uppercase sigil (not a heredoc). The sigil's tokens are
    siblings under a ``sigil`` node, or under an ERROR node when it never closes."""
    node = root.descendant_for_byte_range(offset, offset + 2)
    if node is None or node.type != "escape_sequence" or node.byte_range != (offset, offset + 2):
        return False
    opener = node.prev_sibling
    while opener is not None and opener.type in ("quoted_content", "escape_sequence"):
        opener = opener.prev_sibling
    name = opener.prev_sibling if opener is not None else None
    if opener is None or name is None or name.type != "sigil_name":
        return False
    delimiter = text(opener)
    if not text(name)[:1].isupper() or len(delimiter) != 1:
        return False
    return text(node)[1:] == _CLOSERS.get(delimiter, delimiter)


def _update_trailing_comma(node: Node) -> bool:
    """Whether ``node`` is tree-sitter's error for the trailing comma of a map update."""
    if node.type != "ERROR" or [c.type for c in node.children] != [","]:
        return False
    parent, before, after = node.parent, node.prev_sibling, node.next_sibling
    while after is not None and after.type == "comment":
        after = after.next_sibling
    if parent is None or parent.type != "map" or after is None or after.type != "}":
        return False
    if before is None or before.type != "map_content" or not before.named_children:
        return False
    update = before.named_children[-1]
    right = update.child_by_field_name("right")
    return (
        update.type == "binary_operator"
        and _operator(update) == "|"
        and right is not None
        and right.type == "keywords"
    )


def _restore(buffer: bytearray, mended: dict[int, int], cut: Sequence[tuple[int, int]]) -> None:
    """Put the original bytes back at the mended offsets, but not inside the ``cut`` ranges."""
    for offset, byte in mended.items():
        if not any(start <= offset < end for start, end in cut):
            buffer[offset] = byte


# A file read in part loses each broken part whole: an ERROR node, or the construct a missing
# token leaves open (a `do` block without its `end` goes from its `do` to the end of the file).
# Each is blanked (spaces, newlines kept, so the rest keeps its line:column) and the file parsed
# again, until it parses; past MAX_CUTS parts nothing of it is read.
MAX_CUTS = 32


def _cut_broken_parts(buffer: bytearray) -> tuple[tree_sitter.Tree, list[tuple[int, int]]]:
    """The tree of ``buffer`` with its broken parts blanked out, and the byte ranges blanked."""
    cut: list[tuple[int, int]] = []
    tree = _parser().parse(buffer)
    for _ in range(MAX_CUTS):
        bad = _first_error(tree.root_node)
        if bad is None:
            return tree, cut
        part = bad.parent if bad.is_missing and bad.parent is not None else bad
        if not _blank(buffer, part.start_byte, part.end_byte):
            break
        cut.append((part.start_byte, part.end_byte))
        tree = _parser().parse(buffer)
    _blank(buffer, 0, len(buffer))
    return _parser().parse(buffer), [(0, len(buffer))]


def _blank(buffer: bytearray, start: int, end: int) -> bool:
    """Blank ``buffer[start:end]`` but its line breaks; whether anything was left to blank."""
    changed = False
    for offset in range(start, end):
        if buffer[offset] not in b" \r\n":
            buffer[offset] = 0x20
            changed = True
    return changed


def _line_ranges(data: bytes, cut: Sequence[tuple[int, int]]) -> str:
    """``lines 84-86, line 120``: the lines the ``cut`` byte ranges touch, merged ("" when
    they are the whole file)."""
    spans: list[list[int]] = []
    for start, end in sorted(cut):
        first = data.count(b"\n", 0, start) + 1
        last = data.count(b"\n", 0, max(start, end - 1)) + 1
        if spans and first <= spans[-1][1] + 1:
            spans[-1][1] = max(spans[-1][1], last)
        else:
            spans.append([first, last])
    if spans == [[1, data.count(b"\n", 0, max(len(data) - 1, 0)) + 1]]:
        return ""
    return ", ".join(f"line {a}" if a == b else f"lines {a}-{b}" for a, b in spans)


def _too_deep(root: Node) -> Node | None:
    """The first node nested deeper than MAX_NESTING, found without recursion."""
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            return node
        stack.extend((child, depth + 1) for child in node.named_children)
    return None


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


def _first_error(node: Node) -> Node | None:
    """The first ERROR or missing node in source order."""
    return next(_errors(node), None)


def _errors(node: Node) -> Iterator[Node]:
    """The ERROR and missing nodes (not those inside an ERROR), in source order, without
    recursion: trees may be deep."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.is_missing or current.type == "ERROR":
            yield current
        elif current.has_error:
            stack.extend(reversed(current.children))


def _error_detail(node: Node) -> str:
    if not node.is_missing:
        snippet = text(node).strip().splitlines()
        near = f" near `{snippet[0][:40]}`" if snippet else ""
        return f"syntax error{near}"
    opener = node.parent
    where = ""
    if opener is not None:
        want = _OPENERS.get(node.type)
        first = next((c for c in opener.children if c.type == want), opener)
        where = f" to close `{text(first).split()[0]}` on line {first.start_point[0] + 1}"
    return f"syntax error: missing `{node.type}`{where}"


_OPENERS = {"end": "do", "]": "[", "}": "{", ")": "(", ">>": "<<"}


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
        return _quoted_text(key)
    return None


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
        if expr.type == "unary_operator" and _operator(expr) == "@":
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
        if head.type == "binary_operator" and _operator(head) == "when":
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


def _operator(node: Node) -> str:
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


def _unescape(seq: str) -> str:
    body = seq[1:]
    if body[:1] in ("x", "u") and len(body) > 1:
        try:
            return chr(int(body[1:].strip("{}"), 16))
        except ValueError:
            return body
    return _ESCAPES.get(body, body)


def _quoted_text(node: Node) -> str | None:
    """The content of a string-like node, or None when it interpolates."""
    parts: list[str] = []
    for child in node.named_children:
        if child.type == "quoted_content":
            parts.append(text(child))
        elif child.type == "escape_sequence":
            parts.append(_unescape(text(child)))
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
                elif kind == "list" and child.type == "binary_operator" and _operator(child) == "|":
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
            elif child.type == "binary_operator" and _operator(child) == "=>":
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
        op, operand = _operator(node), node.child_by_field_name("operand")
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
        op = _operator(node)
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
    char = _unescape(body) if body.startswith("\\") else body
    return ord(char) if len(char) == 1 else Unknown(text(node))


def _string(node: Node) -> Value:
    value = _quoted_text(node)
    return Unknown(text(node)) if value is None else value


def _quoted_atom(node: Node) -> Value:
    value = _quoted_text(node)
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
        content = _quoted_text(node)
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
