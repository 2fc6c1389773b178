"""Follow a config value to what it is at boot: a literal, a variable read from the
environment, or an expression kubenative cannot follow (kept as text).

What counts: a literal string or integer; ``System.get_env("X")`` (with a default, or
``|| default``; also piped, ``"X" |> System.get_env("d")``), ``System.fetch_env!("X")``,
``{:system, "X"}`` (and Confex's typed form), Distillery's ``"${X}"`` where REPLACE_OS_VARS
fills it; a variable bound earlier in the file (``host = System.get_env("PHX_HOST") ||
"example.com"``); ``Application.get_env(:app, :key)`` of a ``config :app, :key, ...`` entry;
a module attribute set to an atom (``@app``). Code under ``if config_env() == :dev`` (or
``:test``) is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kubenative.project.elixir_parse import parse_source
from kubenative.project.elixir_tree import (
    Node,
    arguments,
    call_arguments,
    call_name,
    call_of,
    pairs,
    remote_call,
    text,
)
from kubenative.project.endpoints import ENV_READS
from kubenative.project.prod_walk import PLACEHOLDER, prod_walk
from kubenative.project.reads import one_line


@dataclass(frozen=True)
class Setting:
    """One setting of the strategy: a literal ``value``, the variable ``env`` it is read from
    (with its ``default``), or an ``expr`` kubenative cannot follow."""

    key: str
    where: str
    value: str | None = None
    env: str | None = None
    default: str | None = None
    expr: str | None = None

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"where": self.where}
        if self.env is not None:
            found["env"] = self.env
            if self.default is not None:
                found["default"] = self.default
        elif self.value is not None:
            found["value"] = self.value
        else:
            found["expr"] = self.expr
        return found


class SourceFile:
    """One parsed file: its tree, aliases (``alias Cluster.Strategy.DNSPoll``) and the
    variables bound in it (``app_name = System.get_env(...)``), for following a value."""

    def __init__(self, rel: str, source: str) -> None:
        self.rel = rel
        self.root = parse_source(source, rel)
        self.aliases: dict[str, str] = {}
        self.bindings: dict[str, list[Node]] = {}
        self.attributes: dict[str, Node] = {}  # `@app :my_app`: the last literal set
        for node in prod_walk(self.root):
            if node.type == "unary_operator" and operator(node) == "@":
                operand = node.child_by_field_name("operand")
                args = call_arguments(operand) if operand is not None else []
                name = call_name(operand) if operand is not None else None
                if name is not None and len(args) == 1:
                    self.attributes[name] = args[0]
            if call_name(node) == "alias":
                for arg in call_arguments(node)[:1]:
                    if arg.type == "alias":
                        full = module_name(text(arg))
                        self.aliases[full.rsplit(".", 1)[-1]] = full
            elif node.type == "binary_operator" and operator(node) == "=":
                left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
                if left is not None and right is not None and left.type == "identifier":
                    self.bindings.setdefault(text(left), []).append(right)

    def module(self, node: Node) -> str:
        name = module_name(text(node))
        head, _, rest = name.partition(".")
        full = self.aliases.get(head)
        return f"{full}.{rest}".rstrip(".") if full else name

    def where(self, node: Node) -> str:
        return f"{self.rel}:{node.start_point[0] + 1}"


class Follower:
    def __init__(self, files: list[SourceFile], distillery: bool) -> None:
        self.files = files
        self.distillery = distillery  # "${X}" is a variable only where REPLACE_OS_VARS fills it

    def config_value(self, app: str, key: str) -> tuple[SourceFile, Node] | None:
        """The last ``config :app, :key, value`` / ``config :app, key: value`` in prod."""
        found: tuple[SourceFile, Node] | None = None
        for file in self.files:
            if not file.rel.startswith("config/") and "/config/" not in file.rel:
                continue
            for node in prod_walk(file.root):
                if call_name(node) != "config":
                    continue
                args = call_arguments(node)
                if not args or text(args[0]) != f":{app}":
                    continue
                if len(args) == 3 and text(args[1]) == f":{key}":
                    found = (file, args[2])
                elif len(args) == 2 and args[1].type == "keywords":
                    value = pair(args[1], key)
                    if value is not None:
                        found = (file, value)
        return found

    def setting(self, key: str, file: SourceFile, node: Node, depth: int = 0) -> Setting:
        """What ``node`` (a setting's value in ``file``) is, followed through bindings and
        ``Application.get_env`` to a literal or a variable read at boot."""
        where = file.where(node)
        if depth > 6:
            return Setting(key, where, expr=short(node))
        if node.type in ("string", "charlist"):
            raw = text(node)
            inner = raw[1:-1] if raw[:1] in "\"'" else None
            if inner is not None and "#{" not in inner:
                placeholder = PLACEHOLDER.fullmatch(inner)
                if placeholder and self.distillery:  # filled by REPLACE_OS_VARS at boot
                    return Setting(key, where, env=placeholder.group(1))
                return Setting(key, where, value=inner)
            return Setting(key, where, expr=short(node))
        if node.type == "integer":
            return Setting(key, where, value=text(node).replace("_", ""))
        if node.type == "atom":
            return Setting(key, where, expr=text(node))
        read = env_read(node)
        if read is not None:
            return Setting(key, where, env=read[0], default=read[1])
        if node.type == "binary_operator" and operator(node) == "||":
            left = node.child_by_field_name("left")
            if left is not None:
                return self.setting(key, file, left, depth + 1)
        if node.type == "identifier" and text(node) in file.bindings:
            before = [n for n in file.bindings[text(node)] if n.start_byte < node.start_byte]
            if before:
                return self.setting(key, file, before[-1], depth + 1)
        call = call_of(node)
        if call.type == "call" and remote_call(call) in (
            ("Application", "get_env"),
            ("Application", "fetch_env!"),
        ):
            args = arguments(call)
            app = atom_name(args[0], file) if args else None
            if len(args) >= 2 and app is not None and args[1].type == "atom":
                found = self.config_value(app, text(args[1])[1:])
                if found is not None:
                    return self.setting(key, found[0], found[1], depth + 1)
        return Setting(key, where, expr=short(node))


def module_name(name: str) -> str:
    name = "".join(name.split())
    return name.removeprefix("Elixir.")


def atom_name(node: Node, file: SourceFile) -> str | None:
    """``:app``, or ``@app`` set to an atom in the same file."""
    if node.type == "unary_operator" and operator(node) == "@":
        operand = node.child_by_field_name("operand")
        value = file.attributes.get(text(operand)) if operand is not None else None
        node = value if value is not None else node
    return text(node)[1:] if node.type == "atom" else None


def operator(node: Node) -> str:
    op = node.child_by_field_name("operator")
    return text(op) if op is not None else ""


def pair(node: Node, name: str) -> Node | None:
    return next((value for key, value in pairs(node) if key == name), None)


def env_read(node: Node) -> tuple[str, str | None] | None:
    """(variable, default) of ``System.get_env("X"[, d])``, ``System.fetch_env!("X")``,
    ``{:system, "X"[, d]}`` (and Confex's ``{:system, :type, "X"[, d]}``); a call also piped
    (``"X" |> System.get_env("d")``)."""
    found = remote_call(call_of(node))
    if found is not None and found[0] == "System" and found[1] in ENV_READS:
        args = arguments(call_of(node))
        name = literal_string(args[0]) if args else None
        default = literal_string(args[1]) if len(args) > 1 else None
        return (name, default) if name else None
    if node.type == "tuple":
        items = [c for c in node.named_children if c.type != "comment"]
        if items and text(items[0]) == ":system" and len(items) >= 2:
            rest = items[2:] if items[1].type == "atom" else items[1:]
            name = literal_string(rest[0]) if rest else None
            default = literal_string(rest[1]) if len(rest) > 1 else None
            return (name, default) if name else None
    return None


def literal_string(node: Node) -> str | None:
    raw = text(node)
    if node.type == "string" and "#{" not in raw and raw[:1] == '"':
        return raw[1:-1]
    return None


def short(node: Node) -> str:
    return one_line(text(node), 80)
