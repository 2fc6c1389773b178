"""Parse Elixir source with tree-sitter into a tree the readers walk: a syntax error becomes a
:class:`ParseError` naming the line and column, or, for a file that is not strict, a reading
in part with one warning (:func:`partial_reads`); a tree nested too deep is refused."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath

import tree_sitter

from kubenative.errors import ParseError
from kubenative.project.elixir_mend import mend, restore
from kubenative.project.elixir_tree import Node, first_error, parser, text

# Deeper syntax trees are refused with a ParseError: the readers and the evaluator recurse over
# the tree, and no real mix.exs or config nests anywhere near this deep.
MAX_NESTING = 200


# One inspect run reads the same file in several readers (config/prod.exs in up to eight:
# imports, endpoints, env vars, tool paths, ...). The tree is a function of the text and the
# path (which names the file in a ParseError and decides whether it is read in part), and the
# readers never edit it, so the same pair is parsed once; a ParseError is raised again on every
# call, and a file read in part is noted again in every collection (see partial_reads).
def parse_source(source: str, path: str) -> Node:
    """Parse ``source`` and return the root node; a syntax error raises :class:`ParseError`.

    Constructs of valid Elixir that tree-sitter-elixir misreads are mended first (see
    ``mend``). Inside :func:`partial_reads`, a file that still does not parse and that is not
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
    tree, mended = mend(buffer)
    root, error, unread = tree.root_node, None, None
    if root.has_error:
        broken = bytearray(buffer)  # the mended bytes, to cut the broken parts out of
        restore(buffer, mended, ())
        bad = first_error(root)
        assert bad is not None  # has_error: an ERROR or missing node exists
        error = _syntax_error(data, bad, path)
        if not strict_file(path):
            cut_tree, cut = _cut_broken_parts(broken)
            restore(broken, mended, cut)
            root, unread = cut_tree.root_node, _line_ranges(data, cut)
    else:
        restore(buffer, mended, ())
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


# A file read in part loses each broken part whole: an ERROR node, or the construct a missing
# token leaves open (a `do` block without its `end` goes from its `do` to the end of the file).
# Each is blanked (spaces, newlines kept, so the rest keeps its line:column) and the file parsed
# again, until it parses; past MAX_CUTS parts nothing of it is read.
MAX_CUTS = 32


def _cut_broken_parts(buffer: bytearray) -> tuple[tree_sitter.Tree, list[tuple[int, int]]]:
    """The tree of ``buffer`` with its broken parts blanked out, and the byte ranges blanked."""
    cut: list[tuple[int, int]] = []
    tree = parser().parse(buffer)
    for _ in range(MAX_CUTS):
        bad = first_error(tree.root_node)
        if bad is None:
            return tree, cut
        part = bad.parent if bad.is_missing and bad.parent is not None else bad
        if not _blank(buffer, part.start_byte, part.end_byte):
            break
        cut.append((part.start_byte, part.end_byte))
        tree = parser().parse(buffer)
    _blank(buffer, 0, len(buffer))
    return parser().parse(buffer), [(0, len(buffer))]


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
