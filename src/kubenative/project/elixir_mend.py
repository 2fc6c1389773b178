"""Constructs of valid Elixir that tree-sitter-elixir misreads, mended in the bytes it parses
before any reader sees the tree (see below); :mod:`kubenative.project.elixir_parse` calls
:func:`mend` on every parse and :func:`restore` after the last."""

from __future__ import annotations

import re
from collections.abc import Sequence

import tree_sitter

from kubenative.project.elixir_tree import Node, error_nodes, operator, parser, text

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


def mend(buffer: bytearray) -> tuple[tree_sitter.Tree, dict[int, int]]:
    """Parse ``buffer``, mending the gaps above in it; the tree and the original byte at each
    mended offset."""
    mended: dict[int, int] = {}
    tree = parser().parse(buffer)
    for match in _BACKSLASHES_BEFORE_DELIMITER.finditer(bytes(buffer)):
        offset = match.end() - 2  # the last backslash of the run
        run = offset + 1 - len(buffer[: offset + 1].rstrip(b"\\"))
        if run % 2 == 0 and _escapes_sigil_end(tree.root_node, offset):
            mended[offset] = buffer[offset]
            buffer[offset] = ord("_")
            tree = parser().parse(buffer)
    while tree.root_node.has_error:
        commas = [n.start_byte for n in error_nodes(tree.root_node) if _update_trailing_comma(n)]
        if not commas:
            break
        for offset in commas:
            mended[offset] = buffer[offset]
            buffer[offset] = ord(" ")
        tree = parser().parse(buffer)
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
        and operator(update) == "|"
        and right is not None
        and right.type == "keywords"
    )


def restore(buffer: bytearray, mended: dict[int, int], cut: Sequence[tuple[int, int]]) -> None:
    """Put the original bytes back at the mended offsets, but not inside the ``cut`` ranges."""
    for offset, byte in mended.items():
        if not any(start <= offset < end for start, end in cut):
            buffer[offset] = byte
