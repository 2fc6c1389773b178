"""The environment variables a release reads at boot, read from its boot-time config files.

Static reading over the tree-sitter AST, never a regex over Elixir. What counts:

- ``System.get_env("X")`` (optional), ``System.get_env("X", "d")`` and
  ``System.get_env("X") || "d"`` (default ``d``), ``System.fetch_env!("X")`` and
  ``System.get_env("X") || raise ...`` (required), ``System.fetch_env("X")`` (optional); the
  same calls without ``System.`` in a file that does ``import System``, and every piped form
  (``"X" |> System.fetch_env!()``, ``"X" |> System.get_env("d")``: the pipe gives the first
  argument, ``elixir_tree.arguments``).
- Code in a branch a prod release never takes (``if config_env() == :dev``, a ``case
  config_env()`` clause for ``:test``: every form ``prod_walk`` knows) is left out. A read
  that would be required but sits in a branch only some boots take (an ``if``/``case``/
  ``cond`` on anything else, a ``with`` body) is
  optional: the variable is required only when that branch runs.
- Distillery's ``"${X}"`` placeholders (REPLACE_OS_VARS substitutes them at boot, an unset
  variable becomes an empty string): required, in config files and in ``rel/vm.args``.
"""

from __future__ import annotations

from kubenative.project.elixir_ast import Evaluator
from kubenative.project.elixir_parse import parse_source
from kubenative.project.elixir_tree import (
    Node,
    arguments,
    call_arguments,
    call_name,
    expression,
    remote_call,
    text,
)
from kubenative.project.endpoints import ENV_READS
from kubenative.project.model import EnvVar
from kubenative.project.prod_walk import PLACEHOLDER, conditional, prod_walk

# Functions that raise on nil: a variable read with no default and handed straight to one of
# them stops the config when it is unset, as surely as `fetch_env!` (helium/console's
# `String.to_integer(System.get_env("OUI"))`, `String.split(System.get_env("SECRETS"), ",")`).
_NIL_RAISES = {
    ("String", "to_integer"),
    ("String", "to_float"),
    ("String", "split"),
    ("String", "to_atom"),
    ("String", "to_existing_atom"),
    ("String", "trim"),
    ("String", "to_charlist"),
    ("Base", "decode64!"),
    ("Base", "url_decode64!"),
    ("Base", "decode16!"),
    ("base64", "decode"),
    ("Jason", "decode!"),
}
_SECRET_WORDS = ("SECRET", "PASSWORD", "PASSWD", "TOKEN", "PRIVATE", "CREDENTIAL", "COOKIE")
_SECRET_SUFFIXES = ("_KEY", "_PASS", "_PWD", "_DSN")
_URL_SUFFIXES = ("_URL", "_URI")


def is_secret(name: str, default: str | None) -> bool:
    """Secret-like names go to the Secret. A URL with no default may carry credentials
    (``postgres://user:password@host/db``), so it is treated as one too; a URL whose default
    has no ``user:pass@`` part is plain config."""
    upper = name.upper()
    if upper in ("SECRET_KEY_BASE", "DATABASE_URL", "RELEASE_COOKIE", "ERLANG_COOKIE"):
        return True
    if default is not None and (default in ("true", "false") or default.isdigit()):
        # A switch or a number (`ALLOW_PRIVATE_REPOS` defaulting to false, `TOKEN_TTL` to
        # 3600) is plain config, whatever words its name holds.
        return False
    if any(word in upper for word in _SECRET_WORDS) or upper.endswith(_SECRET_SUFFIXES):
        return True
    if upper.endswith(_URL_SUFFIXES):
        return default is None or "@" in default
    return False


def _getter(node: Node, imported: bool) -> tuple[str, list[Node]] | None:
    """(function, arguments) of a ``System.<getter>`` call, or a bare one when imported."""
    if node.type != "call":
        return None
    target = node.child_by_field_name("target")
    if target is None:
        return None
    if target.type == "dot":
        left, right = target.child_by_field_name("left"), target.child_by_field_name("right")
        if left is None or right is None or text(left) != "System":
            return None
        name = text(right)
    elif imported and target.type == "identifier":
        name = text(target)
    else:
        return None
    return (name, arguments(node)) if name in ENV_READS else None


def _map_getter(node: Node) -> tuple[str, list[Node]] | None:
    """``Map.fetch!(System.get_env(), "X")`` (required, like ``fetch_env!``) and
    ``Map.get(System.get_env(), "X", d)`` (or ``System.get_env() |> Map.get("X")``), as
    (getter, [name, default...])."""
    found = remote_call(node)
    if found is None or found[0] != "Map" or found[1] not in ("fetch!", "fetch", "get"):
        return None
    args = arguments(node)
    if len(args) < 2 or remote_call(args[0]) != ("System", "get_env") or call_arguments(args[0]):
        return None
    return ("fetch_env!" if found[1] == "fetch!" else "get_env"), args[1:]


def _handed_to_raiser(node: Node) -> bool:
    """Whether the read is the first argument of (or piped into) a function that raises on nil."""
    parent = node.parent
    if parent is not None and parent.type == "arguments" and parent.named_children[:1] == [node]:
        return remote_call(parent.parent) in _NIL_RAISES if parent.parent is not None else False
    if parent is not None and parent.type == "binary_operator":
        op, right = parent.child_by_field_name("operator"), parent.child_by_field_name("right")
        if op is not None and right is not None and text(op) == "|>":
            return parent.child_by_field_name("left") == node and remote_call(right) in _NIL_RAISES
    return False


def _literal(node: Node) -> str | None:
    value = Evaluator().evaluate(node)
    if isinstance(value, bool) or value is None:
        return None
    return str(value) if isinstance(value, str | int | float) else None


def _imports_system(root: Node) -> bool:
    for node in prod_walk(root):
        if call_name(node) == "import":
            args = call_arguments(node)
            if args and text(args[0]) == "System":
                return True
    return False


def read(source: str, path: str) -> list[EnvVar]:
    """Every variable ``path`` (a boot-time config file) reads, in source order."""
    root = parse_source(source, path)
    imported = _imports_system(root)
    found: list[EnvVar] = []
    for node in prod_walk(root):
        call = _getter(node, imported) or _map_getter(node)
        if call is None or not call[1]:
            continue
        function, args = call
        default = _literal(args[1]) if len(args) == 2 else None
        name = _literal(args[0])
        if name is None:
            continue
        # What `||`, a raiser or a condition applies to: the pipe the call ends, if any.
        whole = expression(node)
        required = function == "fetch_env!" or (default is None and _handed_to_raiser(whole))
        parent = whole.parent
        if (
            parent is not None
            and parent.type == "binary_operator"
            and parent.child_by_field_name("left") == whole
        ):
            op = parent.child_by_field_name("operator")
            right = parent.child_by_field_name("right")
            if op is not None and right is not None and text(op) == "||":
                if call_name(right) == "raise":
                    required = True
                elif default is None:
                    default = _literal(right)
        if required and conditional(whole):
            # Read only on some boots (`if key = System.get_env("S3_KEY") do ... fetch_env!`):
            # a boot without it does not stop here.
            required = False
        line = whole.start_point[0] + 1
        found.append(EnvVar(name, default, required, is_secret(name, default), f"{path}:{line}"))
    return found


def system_tuples(source: str, path: str) -> list[EnvVar]:
    """``{:system, "X"}`` and ``{:system, "X", default}`` in compile-time config: the older
    convention (Phoenix <= 1.3 endpoints, Ecto 2 URLs, many libraries) of a value the library
    reads from the environment when it starts, i.e. at boot. Optional unless a default says
    otherwise: whether a missing one stops the boot depends on the library.

    Confex (common in 2017-2020 projects, e.g. bors-ng) adds a type before the name:
    ``{:system, :integer, "POOL_SIZE", 10}``, ``{:system, :boolean, "FORCE_SSL", true}`` or
    ``{:system, {Base, :decode64, []}, "PEM"}``; the default (any literal: Confex parses the
    variable's text into the type) is the value the variable would hold as text."""
    found: list[EnvVar] = []
    for node in prod_walk(parse_source(source, path)):
        if node.type != "tuple":
            continue
        items = [c for c in node.named_children if c.type != "comment"]
        if len(items) not in (2, 3, 4) or text(items[0]) != ":system":
            continue
        name = _literal(items[1])
        rest = items[2:]
        if name is None and len(items) >= 3:
            # Confex's typed form: the name follows the type.
            name, rest = _literal(items[2]), items[3:]
        elif len(items) == 4:
            continue
        if name is None:
            continue
        default = _default(rest[0]) if rest else None
        line = node.start_point[0] + 1
        found.append(EnvVar(name, default, False, is_secret(name, default), f"{path}:{line}"))
    return found


def _default(node: Node) -> str | None:
    """A default as the variable's text would give it: ``10`` → "10", ``true`` → "true"."""
    value = Evaluator().evaluate(node)
    if isinstance(value, bool):
        return "true" if value else "false"
    return _literal(node)


def placeholders(source: str, path: str, *, elixir: bool) -> list[EnvVar]:
    """Distillery's ``"${X}"`` placeholders: in the string literals of an Elixir config file
    (``elixir``) or on the lines of ``rel/vm.args`` (not Elixir; comment lines skipped)."""
    found: list[EnvVar] = []
    if elixir:
        spots = [
            (text(node), node.start_point[0] + 1)
            for node in prod_walk(parse_source(source, path))
            if node.type == "string"
        ]
    else:
        spots = [
            (line, number)
            for number, line in enumerate(source.splitlines(), start=1)
            if not line.lstrip().startswith("#")
        ]
    for content, line in spots:
        for match in PLACEHOLDER.finditer(content):
            name = match.group(1)
            found.append(EnvVar(name, None, True, is_secret(name, None), f"{path}:{line}"))
    return found


def merge(found: list[EnvVar]) -> tuple[EnvVar, ...]:
    """One entry per name: the first place it is read; required when any read requires it;
    the first default given."""
    merged: dict[str, EnvVar] = {}
    for var in found:
        seen = merged.get(var.name)
        if seen is None:
            merged[var.name] = var
            continue
        default = seen.default if seen.default is not None else var.default
        merged[var.name] = EnvVar(
            seen.name,
            default,
            seen.required or var.required,
            is_secret(seen.name, default),
            seen.source,
        )
    return tuple(merged.values())
