"""Walk the code a prod release runs: branches for another Mix environment are skipped.

Shared by the readers of boot-time config (env_vars) and of clustering (clustering), which must
not import each other's models.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kubenative.project.elixir_tree import Node, call_arguments, call_name, text

_ENVS = ("config_env", "Mix.env")
# Distillery's placeholder: ${NAME} with a shell variable name. This reads a placeholder inside
# a string value the parser already isolated (or a line of vm.args, which is not Elixir).
PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def prod_walk(node: Node) -> Iterator[Node]:
    """Every node a prod boot may evaluate: branches for another environment are skipped."""
    yield node
    name = call_name(node)
    if name in ("if", "unless"):
        args = call_arguments(node)
        runs = prod_condition(args[0]) if args else None
        if runs is not None:
            yield from _walk_branch(node, args, runs if name == "if" else not runs)
            return
    for child in node.named_children:
        yield from prod_walk(child)


def _walk_branch(node: Node, args: list[Node], runs: bool) -> Iterator[Node]:
    """The ``do`` part of an if whose condition is known to be true, else its ``else`` part."""
    for child in node.named_children:
        if child.type != "do_block":
            continue
        for part in child.named_children:
            if part.type == "else_block":
                if not runs:
                    yield from prod_walk(part)
            elif runs:
                yield from prod_walk(part)
    if args and args[-1].type == "keywords":  # if cond, do: x, else: y
        for pair in args[-1].named_children:
            key = pair.child_by_field_name("key")
            value = pair.child_by_field_name("value")
            if key is None or value is None:
                continue
            word = text(key).strip().removesuffix(":")
            if (word == "do" and runs) or (word == "else" and not runs):
                yield from prod_walk(value)


def prod_condition(node: Node) -> bool | None:
    """Whether ``config_env() == :prod``-like ``node`` is true in a prod release, if decidable."""
    if node.type != "binary_operator":
        return None
    op = node.child_by_field_name("operator")
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if op is None or left is None or right is None or text(op) not in ("==", "!="):
        return None
    if right.type != "atom" and left.type == "atom":
        left, right = right, left
    if right.type != "atom" or _env_call(left) is None:
        return None
    same = text(right) == ":prod"
    return same if text(op) == "==" else not same


def _env_call(node: Node) -> str | None:
    if node.type != "call":
        return None
    target = node.child_by_field_name("target")
    head = text(target) if target is not None else ""
    return head if head in _ENVS else None


def conditional(node: Node) -> bool:
    """Whether ``node`` runs only on some boots: inside the body of an ``if``/``unless`` whose
    condition is not known for prod (``if key = System.get_env("X") do ... end``), a ``case``
    or ``cond`` clause, or a ``with`` body. A condition itself (and a ``case`` subject) always
    runs."""
    child, parent = node, node.parent
    while parent is not None:
        name = call_name(parent)
        if name in ("if", "unless", "case", "cond", "with"):
            args = call_arguments(parent)
            in_head = any(_inside(child, arg) for arg in args if arg.type != "keywords")
            decided = name in ("if", "unless") and args and prod_condition(args[0]) is not None
            if not in_head and not decided:
                return True
        child, parent = parent, parent.parent
    return False


def _inside(node: Node, ancestor: Node) -> bool:
    return ancestor.start_byte <= node.start_byte and node.end_byte <= ancestor.end_byte
