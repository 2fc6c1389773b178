"""Listeners that are not HTTP, read from the application's code: where the release opens a
server socket of its own (a munin node, a syslog or statsd receiver, a game or device protocol).

They are facts for ``inspect`` and the manifests, never the image's ``PORT``: the HTTP port is
what config gives the endpoints (``kubenative.project.endpoints``). Rules and their reasons:

- Calls read: ``:gen_tcp.listen/2``, ``:ssl.listen/2``, ``:gen_udp.open/2`` (port first),
  ``:ranch.start_listener`` and ``:ranch.child_spec`` (ranch 1.x and 2.x: the protocol is the
  second-to-last argument; a Cowboy protocol is HTTP, the endpoint's or an HTTP server's, and is
  skipped), ``ThousandIsland.start_link/1`` and a ``{ThousandIsland, opts}`` child (unless its
  handler is Bandit's, which is HTTP).
- Port 0 asks the OS for any free port: a client socket or a test helper, not a listener.
- The port is a literal, a module attribute, a local function's literal result, a variable
  bound earlier in the file, ``System.get_env`` (the variable), ``Keyword.get(opts, :port, N)``
  (its default), or ``Application.get_env(:app, :key)`` / ``fetch_env!`` / ``compile_env``, looked
  up in prod config (``config :app, key: N`` or the ``port:`` of ``config :app, :key, [...]``).
- The address comes from the listen options (``ip: {127, 0, 0, 1}``, ``{:ip, ...}``,
  ``:loopback``) or from the ``ip:`` beside the port in config. A loopback listener serves only
  the container itself.
- Code under ``lib/mix/`` (Mix tasks: Mix is not in a release) is not read.
- An HTTP server is optional when it starts only if its port is set: its start sits under an
  ``if`` whose condition reads where the port comes from (``if port = Application.get_env(:bob,
  :metrics_port) do {Bandit, ..., port: port} end``), or the config setting it reads is made
  only when the variable it comes from is set (``if p = System.get_env("BOB_METRICS_PORT") do
  config :bob, metrics_port: String.to_integer(p) end``). Exposing it, or giving the variable
  a number, would switch on what the project leaves off: it is listed (``Found.optional``),
  never exposed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tree_sitter import Node

from kubenative.project.elixir_ast import Atom, ElixirModule, Evaluator, find_modules
from kubenative.project.elixir_parse import parse_source
from kubenative.project.elixir_tree import (
    arguments,
    call_arguments,
    call_name,
    keyword_name,
    pairs,
    remote_call,
    text,
    walk,
)
from kubenative.project.endpoints import (
    Port,
    Socket,
    bindings_of,
    default_port,
    env_reads,
    prod_config_calls,
    resolve,
)

LISTENS: dict[tuple[str, str], str] = {
    ("gen_tcp", "listen"): "tcp",
    ("ssl", "listen"): "tcp",
    ("gen_udp", "open"): "udp",
}
RANCH = frozenset({("ranch", "start_listener"), ("ranch", "child_spec")})
APP_ENV = frozenset({"get_env", "fetch_env", "fetch_env!", "compile_env", "compile_env!"})
# Words whose presence makes a file worth parsing.
_MARKERS = (
    *("gen_tcp", "gen_udp", "ssl.listen", "ranch", "ThousandIsland"),
    *("Cowboy", "cowboy", "Bandit", "httpd"),
)
# HTTP servers started in code (a Plug or :inets service without a Phoenix endpoint): remote
# calls, and `{Module, opts}` children. The port is the `port:` in their options (Plug.Cowboy
# and Bandit listen on 4000 without one).
HTTP_CALLS: dict[tuple[str, str], str] = {
    ("Plug.Cowboy", "http"): "http",
    ("Plug.Cowboy", "https"): "https",
    ("Plug.Cowboy", "child_spec"): "",
    ("Plug.Adapters.Cowboy", "http"): "http",
    ("Plug.Adapters.Cowboy", "https"): "https",
    ("Plug.Adapters.Cowboy", "child_spec"): "",
    ("Plug.Adapters.Cowboy2", "http"): "http",
    ("Plug.Adapters.Cowboy2", "https"): "https",
    ("Plug.Adapters.Cowboy2", "child_spec"): "",
    ("Bandit", "start_link"): "",
    ("Bandit", "child_spec"): "",
    ("cowboy", "start_clear"): "http",
    ("cowboy", "start_tls"): "https",
    ("cowboy", "start_http"): "http",
    ("cowboy", "start_https"): "https",
}
HTTP_CHILDREN = frozenset(
    {"Plug.Cowboy", "Plug.Adapters.Cowboy", "Plug.Adapters.Cowboy2", "Bandit"}
)
# Words too generic to name a port after (`App.Router` is named `app`).
_GENERIC = frozenset({"plug", "router", "endpoint", "server", "web", "api"})


@dataclass(frozen=True)
class _Config:
    """One prod config value: ``config :app, key: value`` or ``config :app, :key, value``."""

    value: Node
    where: str
    bindings: dict[str, list[tuple[int, Node]]]
    guards: tuple[str, ...] = ()  # variables the `if`s around the setting read


@dataclass(frozen=True)
class Found:
    sockets: tuple[Socket, ...]
    # (app, key) of the config settings a socket's port comes from: an app-level
    # `config :app, port: N` read by a non-HTTP listener is not the HTTP port.
    claimed: frozenset[tuple[str, str]]
    # HTTP servers the code starts itself (Plug.Cowboy, Bandit, :cowboy, :inets httpd), each
    # as a Port whose `endpoint` is the plug it serves; `port` None: not readable.
    http: tuple[Port, ...] = ()
    # HTTP servers that start only when their port is set, with where that is decided
    optional: tuple[tuple[Port, str], ...] = ()


def read(
    root: Path,
    sources: Iterable[str],
    config_files: Iterable[str],
    text_of: Callable[[Path], str],
    apps: Callable[[str], str] = lambda rel: "",
) -> Found:
    """The non-HTTP listeners the ``.ex`` files ``sources`` open, and the HTTP servers they
    start without an endpoint, with prod config ``config_files`` (in evaluation order) to look
    ports up in; ``apps`` names the app a file belongs to."""
    config: dict[tuple[str, str], _Config] | None = None
    sockets: list[Socket] = []
    http: list[Port] = []
    optional: dict[str, tuple[Port, str]] = {}
    claimed: set[tuple[str, str]] = set()
    for rel in sources:
        if "/lib/mix/" in f"/{rel}":
            continue
        source = text_of(root / rel)
        if not any(marker in source for marker in _MARKERS):
            continue
        if config is None:
            config = _app_config(root, config_files, text_of)
        tree = parse_source(source, rel)
        bindings = bindings_of(tree)
        for module in find_modules(tree):
            reader = _Reader(Evaluator(module), bindings, config, rel, module)
            if module.name.startswith("Mix.Tasks."):
                continue
            for expr in module.body:
                for node in walk(expr):
                    socket = reader.socket(node)
                    if socket is not None:
                        sockets.append(socket)
                    server = reader.http(node, apps(rel))
                    if server is not None and reader.guard is not None:
                        optional[server.where] = (server, reader.guard)
                    elif server is not None:
                        http.append(server)
            claimed |= reader.claimed
    unique = {(s.where, s.via): s for s in sockets}
    servers = {p.where: p for p in http}
    return Found(
        tuple(unique[k] for k in sorted(unique)),
        frozenset(claimed),
        tuple(servers[k] for k in sorted(servers)),
        tuple(optional[k] for k in sorted(optional)),
    )


class _Reader:
    def __init__(
        self,
        evaluator: Evaluator,
        bindings: dict[str, list[tuple[int, Node]]],
        config: dict[tuple[str, str], _Config],
        rel: str,
        module: ElixirModule,
    ) -> None:
        self.evaluator = evaluator
        self.bindings = bindings
        self.config = config
        self.rel = rel
        self.module = module
        self.claimed: set[tuple[str, str]] = set()
        self._looked: list[tuple[str, str]] = []  # config keys the last port read looked up
        # where the last HTTP server read is made optional (see the module's rules), or None
        self.guard: str | None = None
        self._set_only_if: str | None = None  # the config setting the port read is guarded
        # `alias Plug.Adapters.Cowboy` (as: ...): the short name a call uses -> the module
        self.aliases: dict[str, str] = {}
        for expr in module.body:
            if call_name(expr) != "alias":
                continue
            alias_args = call_arguments(expr)
            if not alias_args or alias_args[0].type != "alias":
                continue
            full = "".join(text(alias_args[0]).split())
            short = _pair(alias_args[1], "as") if len(alias_args) > 1 else None
            name = text(short) if short is not None else full.rsplit(".", 1)[-1]
            self.aliases[name] = full

    def _spec(self, node: Node) -> tuple[str, str] | None:
        """The remote call's (module, function), its module alias expanded."""
        spec = remote_call(node)
        if spec is None:
            return None
        head, _, rest = spec[0].partition(".")
        if head in self.aliases:
            return ("".join((self.aliases[head], "." if rest else "", rest)), spec[1])
        return spec

    def http(self, node: Node, app: str) -> Port | None:
        """An HTTP server started here: ``Plug.Cowboy.http(Router, [], port: 4001)``,
        ``{Bandit, plug: Router, port: 4002}``, ``:cowboy.start_clear(...)``,
        ``:inets.start(:httpd, port: 8080, ...)``."""
        spec = self._spec(node)
        args = arguments(node) if node.type == "call" else []
        scheme = ""
        options: Node | None = None
        if spec in HTTP_CALLS:
            scheme, options = HTTP_CALLS[spec], node
        elif spec == ("inets", "start") and args and text(args[0]) == ":httpd":
            scheme, options = "http", args[1] if len(args) > 1 else None
        elif node.type == "tuple" and len(node.named_children) == 2:
            head, tail = node.named_children
            name = "".join(text(head).split())
            if head.type == "alias" and self.aliases.get(name, name) in HTTP_CHILDREN:
                options = tail
        if options is None:
            return None
        if not scheme:
            wanted = _pair(options, "scheme")
            scheme = "https" if wanted is not None and text(wanted) == ":https" else "http"
        if spec is not None and spec[1] == "child_spec" and args and text(args[0]) == ":https":
            scheme = "https"
        port_node = next(
            (n for part in self._expand(options) if (n := _pair(part, "port")) is not None), None
        )
        port: int | None
        env: str | None
        self._looked, self._set_only_if, self.guard = [], None, None
        if port_node is not None:
            port, env, _ = self._port(port_node)
            self.guard = self._started_if(node, port_node, env) or self._set_only_if
        elif spec != ("inets", "start") and _literal(args if spec in HTTP_CALLS else [options]):
            # every option in sight and none sets a port: Plug.Cowboy's and Bandit's default
            port, env = (4000 if scheme == "http" else 4040), None
        else:
            port, env = None, None
        plug = _pair(options, "plug")
        if plug is None and spec is not None and spec[0].startswith("Plug") and args:
            # http(Router, ...), child_spec(:http, Router, ...)
            plug = next((a for a in args[:2] if a.type == "alias"), None)
        served = "".join(text(plug).split()) if plug is not None and plug.type == "alias" else ""
        if plug is not None and plug.type == "tuple" and plug.named_children:
            served = "".join(text(plug.named_children[0]).split())
        where = f"{self.rel}:{node.start_point[0] + 1}"
        https: Literal["http", "https"] = "https" if scheme == "https" else "http"
        name = _word(served, https)
        return Port(app, served or self.module.name, https, port, env, where, name)

    def _started_if(self, node: Node, port_node: Node, env: str | None) -> str | None:
        """file:line of an ``if`` around the server whose condition reads where its port comes
        from: the variable, the config setting, or a name the port is bound to there."""
        wanted_keys = set(self._looked)
        names = {text(n) for n in walk(port_node) if n.type == "identifier"}
        parent = node.parent
        while parent is not None:
            if call_name(parent) == "if" and (args := call_arguments(parent)):
                condition = args[0]
                reads = {name for name, _ in env_reads(resolve(condition, self.bindings))}
                keys = {key for n in walk(condition) if (key := self._app_key(n))}
                bound = condition.type == "binary_operator" and any(
                    c.type == "identifier" and text(c) in names
                    for c in walk(condition.child_by_field_name("left") or condition)
                )
                if (env and env in reads) or keys & wanted_keys or bound:
                    return f"{self.rel}:{parent.start_point[0] + 1}"
            parent = parent.parent
        return None

    def _app_key(self, node: Node) -> tuple[str, str] | None:
        """(app, key) of ``Application.get_env(:app, :key)`` and the like."""
        spec = remote_call(node)
        if spec is None or spec[0] != "Application" or spec[1] not in APP_ENV:
            return None
        keys = [self.evaluator.evaluate(a) for a in arguments(node)[:2]]
        if len(keys) < 2 or not all(isinstance(k, Atom) for k in keys):
            return None
        return str(keys[0]), str(keys[1])

    def socket(self, node: Node) -> Socket | None:
        spec = remote_call(node)
        args = arguments(node) if node.type == "call" else []
        if spec in LISTENS and args:
            transport = LISTENS[spec]
            via = f":{spec[0]}.{spec[1]}"
            return self._socket(via, transport, node, args[0], args[1] if len(args) > 1 else None)
        if spec in RANCH and len(args) >= 5:
            protocol = text(args[-2])
            if "cowboy" in protocol.lower():
                return None  # HTTP: Cowboy under an endpoint or an HTTP server
            trans = args[-3]
            return self._socket(f":ranch.{spec[1]}", "tcp", node, _pair(trans, "port"), trans)
        options: Node | None = None
        if spec == ("ThousandIsland", "start_link") and args:
            options = args[0]
        elif node.type == "tuple" and len(node.named_children) == 2:
            head, tail = node.named_children
            if head.type == "alias" and text(head) == "ThousandIsland":
                options = tail
        if options is None:
            return None
        handler = _pair(options, "handler_module")
        if handler is not None and text(handler).startswith("Bandit"):
            return None
        return self._socket("ThousandIsland", "tcp", node, _pair(options, "port"), options)

    def _socket(
        self, via: str, transport: str, call: Node, port_node: Node | None, options: Node | None
    ) -> Socket | None:
        self._looked = []
        port, env, ip = self._port(port_node) if port_node is not None else (None, None, None)
        self.claimed.update(self._looked)
        if port == 0 and env is None:
            return None  # any free port: a client socket, not a listener
        if options is not None:
            ip = _address(self.evaluator, _pair(options, "ip") or _ip_tuple(options)) or ip
            if any(c.type == "atom" and text(c) == ":loopback" for c in walk(options)):
                ip = "127.0.0.1"
        where = f"{self.rel}:{call.start_point[0] + 1}"
        if transport == "udp":
            return Socket(via, "udp", port, env, ip, where)
        return Socket(via, "tcp", port, env, ip, where)

    def _port(self, node: Node) -> tuple[int | None, str | None, str | None]:
        """(port, variable, address from config) of a port expression."""
        value = self.evaluator.evaluate(node)
        if isinstance(value, int) and not isinstance(value, bool):
            return value, None, None
        expr = resolve(node, self.bindings)
        parts = self._expand(expr)
        for part in parts:
            reads = env_reads(part)
            if reads:
                return default_port(part), reads[0][0], None
        for part in parts:
            for inner in walk(part):
                looked = self._app_env(inner)
                if looked is not None:
                    return looked
        return default_port(expr), None, None

    def _expand(self, node: Node, depth: int = 0) -> list[Node]:
        """``node`` and what the variables in it were bound to (``opts[:port]`` after
        ``opts = Application.get_env(:app, :munin)``), and the bodies of the local functions it
        calls (``port: port()``)."""
        found = [node]
        if depth > 4:
            return found
        for inner in walk(node):
            if inner.type == "identifier":
                bound = resolve(inner, self.bindings)
                if bound is not inner and bound.start_byte != inner.start_byte:
                    found.extend(self._expand(bound, depth + 1))
            name = call_name(inner)
            if name is not None:
                for clause in self.module.functions.get((name, len(arguments(inner))), []):
                    for expr in clause.body:
                        found.extend(self._expand(expr, depth + 1))
        return found

    def _app_env(self, node: Node) -> tuple[int | None, str | None, str | None] | None:
        looked = self._app_key(node)
        setting = self.config.get(looked) if looked is not None else None
        if looked is None or setting is None:
            return None
        self._looked.append(looked)
        value = setting.value
        ip: str | None = None
        if value.type in ("keywords", "list"):
            ip = _address(Evaluator(), _pair(value, "ip"))
            inner = _pair(value, "port")
            if inner is None:
                return None, None, ip
            value = inner
        value = resolve(value, setting.bindings)
        reads = env_reads(value)
        if reads and reads[0][0] in setting.guards:
            self._set_only_if = setting.where  # set only when the variable is
        return default_port(value), reads[0][0] if reads else None, ip


def _app_config(
    root: Path, files: Iterable[str], text_of: Callable[[Path], str]
) -> dict[tuple[str, str], _Config]:
    """Every ``config :app, key: value`` and ``config :app, :key, value`` of prod config, the
    last setting of each winning."""
    found: dict[tuple[str, str], _Config] = {}
    for rel, call, args, bindings, guards in prod_config_calls(root, files, text_of):
        if not args or args[0].type != "atom":
            continue
        app = text(args[0]).lstrip(":")
        if len(args) == 2 and args[1].type == "keywords":
            for name, value in pairs(args[1]):
                where = f"{rel}:{value.start_point[0] + 1}"
                found[(app, name)] = _Config(value, where, bindings, guards)
        elif len(args) == 3 and args[1].type == "atom":
            where = f"{rel}:{call.start_point[0] + 1}"
            found[(app, text(args[1]).lstrip(":"))] = _Config(args[2], where, bindings, guards)
    return found


def _pair(node: Node | None, key: str) -> Node | None:
    """The value of ``key:`` (or ``{:key, value}``) in a keyword list or map under ``node``,
    the outermost first."""
    if node is None:
        return None
    for inner in walk(node):
        if inner.type == "pair":
            name = inner.child_by_field_name("key")
            value = inner.child_by_field_name("value")
            if name is not None and value is not None and keyword_name(name) == key:
                return value
        if inner.type == "tuple" and len(inner.named_children) == 2:
            head, value = inner.named_children
            if head.type == "atom" and text(head) == f":{key}":
                return value
    return None


def _literal(nodes: list[Node]) -> bool:
    """Whether ``nodes`` are written out in full (no variable or call to look into)."""
    dynamic = ("identifier", "call", "access_call", "unary_operator", "binary_operator")
    return all(inner.type not in dynamic for node in nodes for inner in walk(node))


def _word(module: str, scheme: str) -> str:
    """A container port name from the plug a code HTTP server serves: its most specific word
    that is not generic and the scheme (`PromEx.Plug` → "promex-http", `CF.ReverseProxy.Plug`
    → "reversepro-http"); the bare scheme without one. Names are made unique later
    (``endpoints.unique_names``)."""
    for part in reversed(module.split(".")):
        slug = "".join(c for c in part.lower() if c.isalnum())
        if slug and slug not in _GENERIC:
            return f"{slug[: 14 - len(scheme)]}-{scheme}"
    return scheme


def _ip_tuple(node: Node) -> Node | None:
    return _pair(node, "ifaddr")


def _address(evaluator: Evaluator, node: Node | None) -> str | None:
    """``{127, 0, 0, 1}`` → "127.0.0.1", ``{0, 0, 0, 0, 0, 0, 0, 1}`` → "::1", ``:loopback``."""
    if node is None:
        return None
    value = evaluator.evaluate(node)
    if isinstance(value, Atom):
        return {"loopback": "127.0.0.1", "any": "0.0.0.0"}.get(value.name)
    if isinstance(value, tuple) and all(isinstance(v, int) for v in value):
        if len(value) == 4:
            return ".".join(str(v) for v in value)
        if len(value) == 8:
            return "::1" if value == (0, 0, 0, 0, 0, 0, 0, 1) else ":".join(f"{v:x}" for v in value)
    return None
