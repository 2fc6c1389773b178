"""What a prod build or boot runs: whether a condition on the Mix environment holds in prod, and
which branches of ``if``/``unless``/``case``/``cond`` it therefore never takes.

One test (:func:`holds_in_prod`) and one branch rule (:func:`prod_verdicts`) serve every reader:
the readers of boot-time config (env_vars, follow, boot, clustering) walk with :func:`prod_walk`,
those that look at one node at a time (endpoints' config calls, commands' program calls) ask
:func:`skipped_in_prod`. Kept apart from those readers, which must not import each other.

The forms real config files and mix.exs use (``if``/``unless``/``case``/``cond`` on
``config_env()`` or ``Mix.env()``): ``config_env() == :prod`` (either way round, ``===``),
``!=``/``!==``, ``in [:prod, :dev]``/``not in [...]``, ``not``/``!``, and
``and``/``&&``/``or``/``||`` with a part that is decided (``if config_env() == :test and X``
never runs in prod); ``case config_env()`` clauses ``:prod``/``:dev``/``_``; ``cond`` clauses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TypeAlias

from kubenative.project.elixir_ast import Atom, Evaluator
from kubenative.project.elixir_tree import (
    Node,
    arguments,
    call_arguments,
    call_name,
    remote_call,
    text,
)

# Distillery's placeholder: ${NAME} with a shell variable name. This reads a placeholder inside
# a string value the parser already isolated (or a line of vm.args, which is not Elixir).
PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_BRANCHING = ("if", "unless", "case", "cond")
Verdict: TypeAlias = bool | None  # runs on every prod boot / never / depends on something else


def holds_in_prod(condition: Node) -> Verdict:
    """Whether ``condition`` is true in a prod build or boot (``MIX_ENV=prod``), when the
    environment alone decides it; None otherwise."""
    while condition.type == "block" and len(condition.named_children) == 1:  # (expr)
        condition = condition.named_children[0]
    if condition.type == "boolean":
        return text(condition) == "true"
    if condition.type == "unary_operator":
        sign = condition.child_by_field_name("operator")
        operand = condition.child_by_field_name("operand")
        if sign is None or operand is None or text(sign) not in ("not", "!"):
            return None
        inner = holds_in_prod(operand)
        return None if inner is None else not inner
    if condition.type != "binary_operator":
        return None
    op_node = condition.child_by_field_name("operator")
    left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
    if op_node is None or left is None or right is None:
        return None
    op = " ".join(text(op_node).split())  # `not  in`
    if op in ("and", "&&", "or", "||"):
        return _combine(op in ("and", "&&"), holds_in_prod(left), holds_in_prod(right))
    if op not in ("==", "===", "!=", "!==", "in", "not in"):
        return None
    if not _is_env(left) and op in ("==", "===", "!=", "!==") and _is_env(right):
        left, right = right, left  # :prod == config_env()
    if not _is_env(left):
        return None
    envs = _atoms(right, many=op in ("in", "not in"))
    if envs is None:
        return None
    holds = "prod" in envs
    return holds if op in ("==", "===", "in") else not holds


def _combine(conjunction: bool, a: Verdict, b: Verdict) -> Verdict:
    """Three-valued ``and``/``or``: one decided part can decide the whole."""
    if conjunction:
        return False if False in (a, b) else (True if a is True and b is True else None)
    return True if True in (a, b) else (False if a is False and b is False else None)


def _is_env(node: Node) -> bool:
    """``config_env()`` (also ``Config.config_env()``) or ``Mix.env()`` (with or without
    parentheses)."""
    return (call_name(node) == "config_env" and not call_arguments(node)) or remote_call(node) in (
        ("Mix", "env"),
        ("Config", "config_env"),
    )


def _atoms(node: Node, many: bool) -> set[str] | None:
    """The atom names of ``:prod`` (``many``: of ``[:prod, :dev]``); None for anything else."""
    value = Evaluator().evaluate(node)
    values = value if many and isinstance(value, list) else [value] if not many else None
    if values is None or not all(isinstance(v, Atom) for v in values):
        return None
    return {str(v) for v in values}


def prod_verdicts(node: Node) -> list[tuple[Node, Verdict]]:
    """The branches of an ``if``/``unless``/``case``/``cond`` ``node``, each with whether a prod
    build or boot runs it: True (always), False (never), None (depends). Each branch is given as
    the nodes it consists of (the expressions of a ``do`` block, an ``else`` block, a ``do:``
    value, a ``case``/``cond`` clause; the right operand of an ``and``/``or`` whose left part
    decides it). Anything else has no branches: []."""
    if node.type == "binary_operator":
        return _short_circuit(node)
    name = call_name(node)
    if name not in _BRANCHING:
        return []
    args = arguments(node)  # `config_env() |> case do`: the pipe gives the subject
    if name in ("if", "unless"):
        holds = holds_in_prod(args[0]) if args else None
        runs = None if holds is None else holds == (name == "if")
        return [(part, _negate(runs) if is_else else runs) for part, is_else in _if_parts(node)]
    if name == "case" and not (args and _is_env(args[0])):
        return [(clause, None) for clause in _clauses(node)]
    found: list[tuple[Node, Verdict]] = []
    taken: Verdict = False  # whether an earlier clause is taken
    for clause in _clauses(node):
        matches = _clause_matches(clause, name == "case")
        if taken is True or matches is False:
            found.append((clause, False))
            continue
        found.append((clause, True if taken is False and matches is True else None))
        taken = True if matches is True else None
    return found


def _short_circuit(node: Node) -> list[tuple[Node, Verdict]]:
    """The right operand of ``config_env() == :test and X`` (or of ``... or X`` whose left part
    holds): never evaluated in prod. Other operands say nothing: []."""
    op = node.child_by_field_name("operator")
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if op is None or left is None or right is None:
        return []
    skips = {"and": False, "&&": False, "or": True, "||": True}.get(text(op))
    if skips is None or holds_in_prod(left) is not skips:
        return []
    return [(right, False)]


def _negate(verdict: Verdict) -> Verdict:
    return None if verdict is None else not verdict


def _if_parts(node: Node) -> Iterator[tuple[Node, bool]]:
    """The parts of an ``if``/``unless``, each with whether it is the ``else`` part."""
    for child in node.named_children:
        if child.type == "do_block":
            for part in child.named_children:
                yield part, part.type == "else_block"
    args = call_arguments(node)
    if args and args[-1].type == "keywords":  # if cond, do: x, else: y
        for pair in args[-1].named_children:
            key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
            word = text(key).strip().removesuffix(":") if key is not None else ""
            if value is not None and word in ("do", "else"):
                yield value, word == "else"


def _clauses(node: Node) -> list[Node]:
    for child in node.named_children:
        if child.type == "do_block":
            return [c for c in child.named_children if c.type == "stab_clause"]
    return []


def _clause_matches(clause: Node, case: bool) -> Verdict:
    """Whether a ``case config_env()`` clause's pattern (``:prod``, ``:dev``, ``_``), or a
    ``cond`` clause's condition, matches in prod."""
    left = clause.child_by_field_name("left")
    if left is None or left.type != "arguments" or len(left.named_children) != 1:
        return None  # a guard (`env when ...`), or no pattern
    pattern = left.named_children[0]
    if not case:
        return holds_in_prod(pattern)
    if pattern.type == "identifier":  # `_`, `_other`, `env`: matches anything
        return True
    envs = _atoms(pattern, many=False)
    return None if envs is None else "prod" in envs


def prod_walk(node: Node) -> Iterator[Node]:
    """Every node under ``node`` (itself first, in source order) that a prod build or boot may
    evaluate: the branches it never takes are skipped."""
    skipped: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if current.id in skipped:
            continue
        yield current
        skipped.update(part.id for part, runs in prod_verdicts(current) if runs is False)
        stack.extend(reversed(current.named_children))


def skipped_in_prod(node: Node) -> bool:
    """Whether ``node`` sits in a branch a prod build or boot never takes (the ``do`` part of
    ``if config_env() == :dev``, the ``:test ->`` clause of ``case Mix.env()``, ...)."""
    return any(runs is False for _, runs in _enclosing(node))


def conditional(node: Node) -> bool:
    """Whether ``node`` runs only on some boots: inside a branch of an ``if``/``unless``/
    ``case``/``cond`` that the environment does not decide (``if key = System.get_env("X") do
    ... end``), or a ``with`` body. A condition itself (and a ``case`` subject) always runs."""
    if any(runs is not True for _, runs in _enclosing(node)):
        return True
    child, parent = node, node.parent
    while parent is not None:
        if call_name(parent) == "with":
            args = call_arguments(parent)
            if not any(_inside(child, arg) for arg in args if arg.type != "keywords"):
                return True
        child, parent = parent, parent.parent
    return False


def _enclosing(node: Node) -> Iterator[tuple[Node, Verdict]]:
    """The branch of each ``if``/``unless``/``case``/``cond`` around ``node`` that holds it,
    with its verdict (innermost first)."""
    parent = node.parent
    while parent is not None:
        for part, runs in prod_verdicts(parent):
            if _inside(node, part):
                yield part, runs
                break
        parent = parent.parent


def _inside(node: Node, ancestor: Node) -> bool:
    return ancestor.start_byte <= node.start_byte and node.end_byte <= ancestor.end_byte
