"""Where the release listens, read from its config: endpoints, whether each serves, port and IP.

Config files are read in the order a prod release evaluates them (config.exs and what it
imports, then runtime.exs); a later setting wins. Settings in a branch prod never takes
(``if config_env() == :dev``, ``case Mix.env()``'s ``:test`` clause: ``prod_walk.skipped_in_prod``)
are skipped. Rules and their reasons:

- An endpoint is a ``config :app, Some.Endpoint, ...`` entry: every Phoenix endpoint is
  configured that way, and its ``http:`` options say where it listens.
- Phoenix starts an endpoint's HTTP server only when its ``server:`` option is true, and falls
  back to the ``:phoenix`` application's ``serve_endpoints`` setting when the option is absent.
  ``server: true`` guarded by an environment variable (``if System.get_env("PHX_SERVER")``, or
  ``server: System.get_env("X") == "true"``) serves when that variable is set: the image sets it.
  ``config :phoenix, :serve_endpoints, true`` makes every endpoint without a ``server:``
  option serve (it shows as "on", where the setting is).
  With no setting at all (a fresh ``mix phx.new --umbrella`` runtime.exs), the image passes
  ``-phoenix serve_endpoints true`` to the VM (see ``kubenative.plan.runtime``).
- The port comes from ``http: [port: ...]``: a literal, or an environment variable with its
  default (``String.to_integer(System.get_env("APP_PORT") || "4000")``, also through a variable
  bound earlier in the file). Without an endpoint, an app-level ``config :app, port: ...`` read
  from the environment is the listener (a Plug/Bandit/:inets service).
- A port read with ``System.get_env`` in build-time config (prod.exs) is frozen at build: a
  warning (see ``_frozen_port``).
- ``http: [ip: {127, 0, 0, 1}]`` (or ``::1``) as the last word in prod binds loopback only: the
  container would refuse every connection from outside, so it is a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from tree_sitter import Node

from kubenative.project.elixir_ast import Atom, ElixirModule, Evaluator, find_modules
from kubenative.project.elixir_parse import parse_source
from kubenative.project.elixir_tree import (
    arguments,
    call_arguments,
    call_name,
    call_of,
    keyword_name,
    pairs,
    remote_call,
    text,
    walk,
)
from kubenative.project.prod_walk import skipped_in_prod

Server = Literal["on", "off", "env", "unset"]
Scheme = Literal["http", "https"]
# Phoenix's ports for an `http:`/`https:` setting without `port:`: its Cowboy adapter starts
# one listener per scheme set in config, `for {scheme, port} <- [http: 4000, https: 4040],
# opts = config[scheme]` (phoenix lib/phoenix/endpoint/cowboy2_adapter.ex).
DEFAULT_PORTS: dict[str, int] = {"http": 4000, "https": 4040}
# Dependencies that run an HTTP listener of their own (without a Phoenix endpoint).
HTTP_SERVERS = frozenset({"bandit", "plug_cowboy", "cowboy", "elli", "ace", "thousand_island"})
# The System functions that read an environment variable (env_vars.py uses the same set).
ENV_READS = frozenset({"get_env", "fetch_env", "fetch_env!"})


@dataclass(frozen=True)
class Endpoint:
    app: str
    module: str
    server: Server  # on / off / on when `server_env` is set / no setting
    server_env: tuple[str, ...] = ()
    where: str = ""  # file:line of the deciding setting
    config: str = ""  # file:line of its last `config` call in prod (any shape)


@dataclass(frozen=True)
class Port:
    """One port the release listens on for HTTP: an endpoint's ``http:`` or ``https:``
    listener, or an app-level ``config :app, port: ...`` of a service without an endpoint
    (``endpoint`` is "" then). Every one is exposed; ``name`` names it in the Kubernetes
    Deployment (at most 15 characters, unique, the first one is "http" or "https")."""

    app: str
    endpoint: str  # the endpoint module, "" for an app-level port
    scheme: Scheme
    port: int | None  # the fixed number, or the variable's default; None: neither is known
    env: str | None  # the environment variable it is read from at boot; None: fixed
    where: str  # file:line of the deciding setting ("" for Phoenix's default port)
    name: str = "http"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "app": self.app,
            "endpoint": self.endpoint or None,
            "scheme": self.scheme,
            "port": self.port,
            "env": self.env,
            "where": self.where,
        }


@dataclass(frozen=True)
class Socket:
    """A listener that is not HTTP (``:gen_tcp.listen``, a ranch listener of another protocol,
    a ThousandIsland handler...): listed by ``inspect``, never the image's ``PORT``, exposed only
    when it is the release's only listener and binds an outside address (see
    ``kubenative.project.sockets``)."""

    via: str  # the call that opens it (":gen_tcp.listen", ":ranch.start_listener", ...)
    transport: Literal["tcp", "udp"]
    port: int | None
    env: str | None  # the variable the port is read from
    ip: str | None  # the address it binds, when the code or config names one
    where: str  # file:line

    @property
    def loopback(self) -> bool:
        return self.ip is not None and (
            self.ip.startswith("127.") or self.ip in ("::1", "localhost")
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "via": self.via,
            "transport": self.transport,
            "port": self.port,
            "env": self.env,
            "ip": self.ip,
            "where": self.where,
        }


@dataclass(frozen=True)
class Listener:
    endpoints: tuple[Endpoint, ...]
    port: int | None  # None: no port found in config
    port_env: str | None  # the variable the port is read from
    serve_endpoints: bool  # `config :phoenix, :serve_endpoints, true`
    warnings: tuple[str, ...]
    frozen: tuple[str, ...] = ()  # file:line of a port read frozen at build (warned about)
    ports: tuple[Port, ...] = ()  # every HTTP port, the one above (the primary) first
    others: tuple[Socket, ...] = ()  # listeners that are not HTTP (kubenative.project.sockets)
    # HTTP servers that start only when their port is set, with where that is decided: listed,
    # never exposed (kubenative.project.sockets)
    optional: tuple[tuple[Port, str], ...] = ()
    # HTTP listeners whose port kubenative cannot read at all, each "file:line (what)": an
    # endpoint with no http/https setting it can read, a server started with an unreadable
    # port (kubenative.project.listeners)
    unread: tuple[str, ...] = ()


@dataclass
class _Setting:
    value: Node
    file: str
    line: int
    guards: tuple[str, ...]  # env vars read by enclosing `if` conditions
    # the number an `Application.fetch_env!(:app, :key)` in the value stands for, from the
    # config evaluated before it (jellyfish: `read_port("FJ_PORT") || Application.fetch_env!
    # (:fishjam, :port)` after prod.exs's `port: 8080`)
    fallback: int | None = None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def read(
    root: Path,
    files: Iterable[str],
    text_of: Callable[[Path], str],
    boot: Iterable[str] = (),
    sources: Iterable[str] = (),
) -> Listener:
    """The endpoints and listener settings of the config ``files`` (in evaluation order);
    ``boot`` names those read when the release boots (runtime.exs), the others are read at
    build time. ``sources`` (the apps' ``.ex`` files) hold the endpoint modules, whose
    ``init/2`` may read the port (Phoenix 1.3's ``load_from_system_env``)."""
    endpoints: dict[tuple[str, str], list[_Setting]] = {}
    ports: list[_Setting] = []
    app_ports: list[_Setting] = []
    ips: list[_Setting] = []
    tls_ports: list[_Setting] = []  # an HTTPS-only endpoint listens there
    serve = False
    serve_where = ""  # file:line of the last serve_endpoints setting
    reloads = False  # `load_from_system_env: true`: the endpoint's init/2 reads the port
    by_module: dict[str, list[_Setting]] = {}  # the HTTP port settings of each endpoint
    numbers: dict[tuple[str, str], int] = {}  # (app, key) -> a number app-level config sets
    # (app, module, scheme) -> its port settings, for every `http:`/`https:` setting seen
    schemes: dict[tuple[str, str, Scheme], list[_Setting]] = {}
    owner: dict[int, tuple[str, str, Scheme]] = {}  # id of a port setting -> its listener
    app_of: dict[int, str] = {}  # id of an app-level port setting -> its app
    # id of a port setting made only when its own variable is set -> file:line of that `if`
    guarded: dict[int, str] = {}
    config_at: dict[tuple[str, str], str] = {}  # (app, module) -> its last config call
    files, sources = list(files), list(sources)
    helpers = _Helpers(root, [*sources, *files], text_of)
    for rel, call, args, bindings, guards in prod_config_calls(root, files, text_of):
        if [a.type for a in args[:2]] == ["atom", "atom"] and text(args[0]) == ":phoenix":
            if text(args[1]) == ":serve_endpoints" and len(args) == 3:
                serve = text(args[2]) == "true"
                serve_where = f"{rel}:{call.start_point[0] + 1}"
            continue
        if len(args) == 2 and args[0].type == "atom" and args[1].type == "keywords":
            for word, value in pairs(args[1]):
                number = default_port(resolve(value, bindings))
                if number is not None:
                    numbers[(text(args[0])[1:], word)] = number
            for value in _pairs(args[1], "serve_endpoints") if _is(args[0], "phoenix") else ():
                serve = text(value) == "true"
                serve_where = f"{rel}:{value.start_point[0] + 1}"
            for value in _pairs(args[1], "port"):
                setting = _setting(value, rel, guards, bindings)
                app_ports.append(setting)
                app_of[id(setting)] = text(args[0])[1:]
            continue
        if len(args) != 3 or args[0].type != "atom" or args[1].type != "alias":
            continue
        module = "".join(text(args[1]).split())
        if module.endswith("Endpoint"):
            # where to point at when its port cannot be read, whatever shape the config has
            # (`[{:url, ...}, {protocol, args}]`, `public_http ++ [...]`)
            config_at[(text(args[0])[1:], module)] = f"{rel}:{call.start_point[0] + 1}"
        if not module.endswith("Endpoint") or args[2].type != "keywords":
            continue
        app = text(args[0])[1:]
        settings = endpoints.setdefault((app, module), [])
        reloads = reloads or any(text(v) == "true" for v in _pairs(args[2], "load_from_system_env"))
        for value in _pairs(args[2], "server"):
            settings.append(_setting(value, rel, guards, bindings))
        schemes_: tuple[Scheme, ...] = ("http", "https")
        for scheme in schemes_:
            for written in _pairs(args[2], scheme):
                key = (app, module, scheme)
                options = resolve(written, bindings)  # `https: https_opts` bound earlier
                values = _pairs(options, "port")
                if not values and options.type not in ("keywords", "list"):
                    # built by a helper (`https: EndpointConfig.https_opts(..., port:
                    # ...)`): a `port:` anywhere in it, else a port kubenative cannot read
                    values = _deep_pairs(options, "port") or [options]
                found_ports = [
                    helpers.setting(_setting(v, rel, guards, bindings, numbers), v, bindings)
                    for v in values
                ]
                for setting in found_ports:
                    reads = env_reads(setting.value)
                    if reads and reads[0][0] in guards:
                        # `if port = env!("X_PORT", :integer, nil) do config ... port: port`:
                        # the endpoint is configured only when its port variable is set
                        line = _guard_line(call, bindings, reads[0][0])
                        guarded[id(setting)] = f"{rel}:{line}"
                schemes.setdefault(key, []).extend(found_ports)
                owner.update((id(setting), key) for setting in found_ports)
                if scheme == "http":
                    ports.extend(found_ports)
                    by_module.setdefault(module, []).extend(found_ports)
                    ips.extend(_setting(v, rel, guards, bindings) for v in _pairs(options, "ip"))
                else:
                    tls_ports.extend(found_ports)
    optional = _optional(schemes, guarded)
    if optional:
        # neither exposed nor numbered, nor the primary port: setting the variable would
        # switch on what the operator leaves off (electric's unauthenticated dashboard)
        gone = {id(s) for key in optional for s in schemes.pop(key)}
        ports = [s for s in ports if id(s) not in gone]
        tls_ports = [s for s in tls_ports if id(s) not in gone]
        by_module = {m: [s for s in v if id(s) not in gone] for m, v in by_module.items()}
        by_module = {m: v for m, v in by_module.items() if v}
    switches = {port.env for port, _ in optional.values() if port.env}
    for configured in config_at:
        endpoints.setdefault(configured, [])
    found = tuple(
        replace(_endpoint(app, module, s, switches), config=config_at[(app, module)])
        for (app, module), s in sorted(endpoints.items())
    )
    if serve:
        # Phoenix reads `serve_endpoints` only for an endpoint without a `server:` option of
        # its own: each such endpoint serves, from that setting.
        found = tuple(
            Endpoint(e.app, e.module, "on", (), serve_where) if e.server == "unset" else e
            for e in found
        )
    inits = _init_ports(root, found, schemes, sources, text_of)
    for key, setting in inits.items():
        schemes[key] = [setting]
        owner[id(setting)] = key
        ports.append(setting)
        by_module.setdefault(key[1], []).append(setting)
    chosen = _primary(by_module) or ports or tls_ports or ([] if found else app_ports)
    port, port_env = _port(chosen)
    warnings = _ip_warnings(ips)
    frozen = _frozen_port(chosen, set(boot)) if not reloads else None
    if frozen is not None:
        warnings += (frozen[1],)
    deciding = _deciding(chosen)
    listening = _ports(schemes, found, owner.get(id(deciding)) if deciding else None)
    if not listening and not found and deciding is not None:
        app = app_of.get(id(deciding), "")
        listening = (Port(app, "", "http", port, port_env, deciding.where),)
    return Listener(
        found,
        port,
        port_env,
        serve,
        warnings,
        (frozen[0],) if frozen else (),
        listening,
        optional=tuple(optional[key] for key in sorted(optional)),
    )


def _optional(
    schemes: dict[tuple[str, str, Scheme], list[_Setting]], guarded: dict[int, str]
) -> dict[tuple[str, str, Scheme], tuple[Port, str]]:
    """The endpoint listeners that exist only when their port's variable is set: every
    setting of the port sits under an ``if`` whose condition reads its own variable (``if
    live_dashboard_port do config :app, Dashboard.Endpoint, http: [port:
    live_dashboard_port]``), with where the deciding one's ``if`` is."""
    found: dict[tuple[str, str, Scheme], tuple[Port, str]] = {}
    for key, settings in schemes.items():
        deciding = _deciding(settings)
        if deciding is None or not all(id(s) in guarded for s in settings):
            # another setting gives it a port without that variable (asciinema's prod.exs
            # `port: 4002`, which `if port = env.("ADMIN_PORT")` only overrides): it listens
            continue
        app, module, scheme = key
        port, env = _port(settings)
        found[key] = (Port(app, module, scheme, port, env, deciding.where), guarded[id(deciding)])
    # named by their endpoint's word ("dashboard-http"), as a second endpoint's port is
    lead = Port("", "", "http", None, None, "")
    named = _named([lead, *(port for port, _ in found.values())])[1:]
    return {
        key: (port, where) for (key, (_, where)), port in zip(found.items(), named, strict=True)
    }


def _guard_line(call: Node, bindings: dict[str, list[tuple[int, Node]]], name: str) -> int:
    """The line of the innermost ``if``/``unless`` around ``call`` whose condition reads the
    variable ``name``."""
    parent = call.parent
    while parent is not None:
        args = call_arguments(parent) if call_name(parent) in ("if", "unless") else []
        if args and any(read == name for read, _ in env_reads(resolve(args[0], bindings))):
            return parent.start_point[0] + 1
        parent = parent.parent
    return call.start_point[0] + 1


class _Helpers:
    """The project's own functions a port may come from: ``port:
    ConfigParser.server_port(env_vars)`` (sequin) is the body of that function, when the
    project defines it (in ``lib/`` or in the config file itself) with one clause of that
    arity and a body of one expression, which the port readers then read like a value written
    in place (``String.to_integer(Map.get(env, "SERVER_PORT") || ... || "7376")``: 7376 from
    SERVER_PORT). A function of several clauses or several expressions decides at run time
    what kubenative cannot: it stays a port that cannot be read."""

    def __init__(self, root: Path, files: list[str], text_of: Callable[[Path], str]) -> None:
        self.root = root
        self.files = files
        self.text_of = text_of
        self._modules: dict[str, ElixirModule | None] = {}
        self._aliases: dict[str, dict[str, str]] = {}

    def setting(
        self, setting: _Setting, value: Node, bindings: dict[str, list[tuple[int, Node]]]
    ) -> _Setting:
        """``setting`` (kept at its place in config) reading the function's body instead."""
        body = self.follow(value, bindings, setting.file)
        return setting if body is value else replace(setting, value=body)

    def follow(self, value: Node, bindings: dict[str, list[tuple[int, Node]]], rel: str) -> Node:
        """The body of the project function ``value`` calls, else ``value``."""
        call = resolve(value, bindings)
        if remote_call(call) in (("String", "to_integer"),) and call_arguments(call):
            call = resolve(call_arguments(call)[0], bindings)
        spec = remote_call(call)
        if spec is None or env_reads(call) or default_port(call) is not None:
            return value
        head, _, rest = spec[0].partition(".")
        full = self._alias(rel).get(head, head) + (f".{rest}" if rest else "")
        module = self._module(full)
        clauses = module.functions.get((spec[1], len(call_arguments(call))), []) if module else []
        if len(clauses) != 1 or len(clauses[0].body) != 1:
            return value
        body = clauses[0].body[0]
        return body if env_reads(body) or default_port(body) is not None else value

    def _alias(self, rel: str) -> dict[str, str]:
        """``alias A.B`` and ``alias A.B, as: C`` of a config file: the short name -> module."""
        if rel not in self._aliases:
            found: dict[str, str] = {}
            for node in walk(parse_source(self.text_of(self.root / rel), rel)):
                args = call_arguments(node) if call_name(node) == "alias" else []
                if args and args[0].type == "alias":
                    full = "".join(text(args[0]).split())
                    short = _pairs(args[1], "as") if len(args) > 1 else []
                    found[text(short[0]) if short else full.rsplit(".", 1)[-1]] = full
            self._aliases[rel] = found
        return self._aliases[rel]

    def _module(self, name: str) -> ElixirModule | None:
        if name not in self._modules:
            self._modules[name] = None
            for rel in self.files:
                source = self.text_of(self.root / rel)
                if f"defmodule {name} " not in source:
                    continue
                for module in find_modules(parse_source(source, rel)):
                    if module.name == name:
                        self._modules[name] = module
                        return module
        return self._modules[name]


def _init_ports(
    root: Path,
    endpoints: tuple[Endpoint, ...],
    schemes: dict[tuple[str, str, Scheme], list[_Setting]],
    sources: Iterable[str],
    text_of: Callable[[Path], str],
) -> dict[tuple[str, str, Scheme], _Setting]:
    """The HTTP port an endpoint module's ``init/2`` reads, for each endpoint whose config
    names no HTTP port: Phoenix 1.3's generated endpoint puts ``http: [port:
    System.get_env("PORT")]`` into its config there (under ``load_from_system_env``), and
    projects rename the variable. The first variable the function reads whose name says PORT
    is the port's."""
    wanted = {
        e.module: e.app
        for e in endpoints
        if not any(schemes.get((e.app, e.module, scheme)) for scheme in ("http", "https"))
    }
    found: dict[tuple[str, str, Scheme], _Setting] = {}
    for rel in sources if wanted else ():
        source = text_of(root / rel)
        if "def init" not in source or not any(m.rsplit(".", 1)[-1] in source for m in wanted):
            continue
        for module in find_modules(parse_source(source, rel)):
            if module.name not in wanted:
                continue
            for clause in module.functions.get(("init", 2), []):
                reads = [
                    (name, node)
                    for expr in clause.body
                    for name, node in env_reads(expr)
                    if "PORT" in name.upper()
                ]
                if reads:
                    node = reads[0][1]
                    setting = _Setting(node, rel, node.start_point[0] + 1, ())
                    found.setdefault((wanted[module.name], module.name, "http"), setting)
    return found


def _deciding(settings: list[_Setting]) -> _Setting | None:
    """The last setting that names a port (the one ``_port`` reads)."""
    for setting in reversed(settings):
        if env_reads(setting.value) or default_port(setting.value) is not None:
            return setting
        if setting.fallback is not None:
            return setting
    return None


def _ports(
    schemes: dict[tuple[str, str, Scheme], list[_Setting]],
    endpoints: tuple[Endpoint, ...],
    primary: tuple[str, str, Scheme] | None,
) -> tuple[Port, ...]:
    """Every endpoint's HTTP and HTTPS ports: the primary one, its endpoint's other one, then
    by endpoint and scheme. An endpoint whose `server:` is false in prod listens nowhere:
    none of its ports."""
    off = {(e.app, e.module) for e in endpoints if e.server == "off"}
    found: list[Port] = []
    lead = primary[:2] if primary else None
    for key in sorted(schemes, key=lambda k: (k[:2] != lead, k != primary, k)):
        app, module, scheme = key
        if (app, module) in off:
            continue
        settings = schemes[key]
        port, env = _port(settings)
        deciding = _deciding(settings)
        if deciding is not None:
            where = deciding.where
        elif settings:  # a port kubenative cannot read (`port: load_int.("port")`)
            where = settings[-1].where
        else:  # `http: [ip: ...]` alone: Phoenix's default port
            port, where = DEFAULT_PORTS[scheme], ""
        found.append(Port(app, module, scheme, port, env, where))
    return _named(found)


def _named(ports: list[Port]) -> tuple[Port, ...]:
    """Each port with a container port name: the first endpoint's are their scheme ("http",
    "https"); the others' are the endpoint's own word and the scheme (`AdminEndpoint` →
    "admin-http", `MyApp.Status.Endpoint` → "status-http"), cut to Kubernetes' 15
    characters, numbered when two come out the same."""
    taken: set[str] = set()
    named: list[Port] = []
    first = ports[0].endpoint if ports else ""
    for item in ports:
        slug = ""
        if item.endpoint != first:
            parts = item.endpoint.split(".")
            word = parts[-1].removesuffix("Endpoint") or (parts[-2] if len(parts) > 1 else "")
            slug = "".join(c for c in word.lower() if c.isalnum())
        name, n = _port_name(slug, item.scheme, ""), 2
        while name in taken:
            name, n = _port_name(slug or item.scheme, item.scheme, str(n)), n + 1
        taken.add(name)
        named.append(replace(item, name=name))
    return tuple(named)


def _primary(by_module: dict[str, list[_Setting]]) -> list[_Setting]:
    """The port settings of the one endpoint named plainly `Endpoint` (`MyAppWeb.Endpoint`, the
    one `mix phx.new` writes and the router serves) when other endpoints set ports too: a
    `HealthCheckEndpoint` or `AdminEndpoint` beside it (nerves_hub_web's status port, set only
    in one mode) is not what the image is for. Empty when that does not single one out."""
    if len(by_module) < 2:
        return []
    plain = [m for m in by_module if m.rsplit(".", 1)[-1] == "Endpoint"]
    return by_module[plain[0]] if len(plain) == 1 else []


def unique_names(ports: Iterable[Port]) -> tuple[Port, ...]:
    """``ports`` with every name unique: a later duplicate gets a number (`http2-http`); the
    first port is always named after its scheme."""
    taken: set[str] = set()
    named: list[Port] = []
    for index, item in enumerate(ports):
        name = item.scheme if index == 0 else item.name
        slug, n = name.rsplit("-", 1)[0] if "-" in name else name, 2
        while name in taken:
            name, n = _port_name(slug, item.scheme, str(n)), n + 1
        taken.add(name)
        named.append(replace(item, name=name))
    return tuple(named)


def _port_name(slug: str, scheme: str, number: str) -> str:
    """``admin-http``, ``admin2-http``; the bare scheme without a slug."""
    if not slug:
        return scheme
    return f"{slug[: 14 - len(scheme) - len(number)]}{number}-{scheme}"


def _is(atom: Node, name: str) -> bool:
    return text(atom) == f":{name}"


def _pairs(node: Node, key: str) -> list[Node]:
    """The values of ``key:`` in a keyword list (``keywords`` or a ``list`` holding one)."""
    return [value for name, value in pairs(node) if name == key]


def _deep_pairs(node: Node, key: str) -> list[Node]:
    """The values of ``key:`` in any keyword list under ``node``."""
    found = []
    for inner in walk(node):
        if inner.type == "pair":
            name, value = inner.child_by_field_name("key"), inner.child_by_field_name("value")
            if name is not None and value is not None and keyword_name(name) == key:
                found.append(value)
    return found


def bindings_of(tree: Node) -> dict[str, list[tuple[int, Node]]]:
    """``name = expr`` assignments in the file: name → (offset, expr), in source order."""
    found: dict[str, list[tuple[int, Node]]] = {}
    for node in walk(tree):
        if node.type != "binary_operator":
            continue
        op = node.child_by_field_name("operator")
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op is None or text(op) != "=" or left is None or right is None:
            continue
        if left.type == "identifier":
            found.setdefault(text(left), []).append((node.start_byte, right))
    return found


def resolve(node: Node, bindings: dict[str, list[tuple[int, Node]]], depth: int = 0) -> Node:
    """A variable's bound expression (the last binding before it), else the node itself. The
    conversion may sit at the use (`port = System.get_env("PORT") || "4000"`, then
    `http: [port: String.to_integer(port)]`, as nerves_hub_web writes it): that is the
    variable's expression too, since the port reader reads through String.to_integer."""
    if remote_call(call_of(node)) == ("String", "to_integer") and depth <= 8:
        args = arguments(call_of(node))
        if args and args[0].type == "identifier":
            return resolve(args[0], bindings, depth + 1)
    if node.type != "identifier" or depth > 8:
        return node
    before = [expr for offset, expr in bindings.get(text(node), []) if offset < node.start_byte]
    return resolve(before[-1], bindings, depth + 1) if before else node


def env_reads(node: Node) -> list[tuple[str, Node]]:
    """(variable, node) for every environment read under ``node``: ``System.get_env("X")``
    and the like, Phoenix's older ``{:system, "X"}`` tuples (read by the endpoint at boot) and
    Confex's ``{:system, :integer, "X", 4000}``, Distillery's ``"${X}"`` placeholders (filled
    in at boot with REPLACE_OS_VARS), and a project's own helper (``get_env("PORT",
    :integer)``, ``env.("HEXPM_PORT")``, ``Config.Env.int("X")``; see ``_helper_read``)."""
    found = []
    for inner in walk(node):
        if remote_call(inner) in {("System", name) for name in ENV_READS}:
            args = arguments(inner)
            name = Evaluator().evaluate(args[0]) if args else None
            if isinstance(name, str):
                found.append((name, inner))
        elif inner.type == "tuple":
            value = Evaluator().evaluate(inner)
            if isinstance(value, tuple) and len(value) >= 2 and value[0] == Atom("system"):
                names = [v for v in value[1:3] if isinstance(v, str)]
                if names:
                    found.append((names[0], inner))
        elif inner.type == "string":
            value = Evaluator().evaluate(inner)
            if isinstance(value, str) and value.startswith("${") and value.endswith("}"):
                found.append((value[2:-1], inner))
        elif (name := _helper_read(inner)) is not None:
            found.append((name, inner))
    return found


_ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*\Z")


# A variable's name beyond doubt: words in capitals joined by underscores (`HEXPM_PORT`,
# `FJ_PORT`), or PORT itself. A lone capitalised word ("UTC", "GET") is not taken.
_VARIABLE = re.compile(r"(?:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|PORT)\Z")
# Modules whose calls take strings that are not variable names.
_NOT_ENV = frozenset({"String", "Integer", "Regex", "Path", "File", "URI", "Base", "IO"})


def _helper_read(node: Node) -> str | None:
    """The variable a project's own helper reads: a call whose function name says "env"
    (a local or imported ``get_env``, an anonymous ``env.(...)``, ``MyApp.Env.int``) with a
    first argument that looks like a variable's name, or any other helper call
    (``ConfigReader.read_port("FJ_PORT")``, ``Map.get(env, "SERVER_PORT")``) with an argument
    that is one beyond doubt. The name is the evidence: ``load_int.("port")`` (a lowercase
    key, maybe a file) is not one."""
    remote = remote_call(node)
    if node.type != "call" or (remote is not None and remote[0] in ("System", *_NOT_ENV)):
        return None
    target = node.child_by_field_name("target")
    if target is None:
        return None
    if target.type == "dot":
        parts = [
            c
            for c in (target.child_by_field_name("left"), target.child_by_field_name("right"))
            if c is not None
        ]
        words = " ".join(text(p) for p in parts)
    else:
        words = text(target)
    if words in ("config", "import_config", "if", "unless", "case", "cond"):
        return None
    args = arguments(node)
    values = [Evaluator().evaluate(arg) for arg in args[:3]]
    if "env" in words.lower() and values:
        first = values[0]
        if isinstance(first, str) and _ENV_NAME.match(first):
            return first
    for value in values:
        if isinstance(value, str) and _VARIABLE.match(value):
            return value
    return None


def _setting(
    value: Node,
    rel: str,
    guards: tuple[str, ...],
    bindings: dict[str, list[tuple[int, Node]]],
    numbers: dict[tuple[str, str], int] | None = None,
) -> _Setting:
    resolved = resolve(value, bindings)
    fallback = None
    for inner in walk(resolved) if numbers else ():
        spec = remote_call(inner)
        if spec is None or spec[0] != "Application" or "env" not in spec[1]:
            continue
        keys = [text(a) for a in arguments(inner)[:2]]
        if len(keys) == 2 and all(k.startswith(":") for k in keys) and numbers:
            fallback = numbers.get((keys[0][1:], keys[1][1:]))
    return _Setting(resolved, rel, value.start_point[0] + 1, guards, fallback)


def env_guards(call: Node, bindings: dict[str, list[tuple[int, Node]]]) -> tuple[str, ...]:
    """Environment variables read by the conditions of the ``if``/``unless`` around ``call``."""
    names: list[str] = []
    parent = call.parent
    while parent is not None:
        if call_name(parent) in ("if", "unless"):
            args = call_arguments(parent)
            if args:
                names.extend(name for name, _ in env_reads(resolve(args[0], bindings)))
        parent = parent.parent
    return tuple(names)


ConfigCall = tuple[str, Node, list[Node], dict[str, list[tuple[int, Node]]], tuple[str, ...]]


def prod_config_calls(
    root: Path, files: Iterable[str], text_of: Callable[[Path], str]
) -> Iterator[ConfigCall]:
    """Every ``config ...`` call of the config ``files`` (in evaluation order) that prod
    evaluates (a branch for another environment is skipped), as (file, call, its arguments,
    the file's variable bindings, the variables the ``if``s around it read)."""
    for rel in files:
        tree = parse_source(text_of(root / rel), rel)
        bindings = bindings_of(tree)
        for call in walk(tree):
            if call_name(call) != "config" or skipped_in_prod(call):
                continue
            yield rel, call, call_arguments(call), bindings, env_guards(call, bindings)


def _endpoint(
    app: str, module: str, settings: list[_Setting], switches: set[str] | None = None
) -> Endpoint:
    """Whether the endpoint serves, from its last ``server:`` setting. A guard that is an
    optional listener's port variable (``switches``) is no switch to set: the ``server: true``
    under it comes with that listener, which the image leaves off."""
    if not settings:
        return Endpoint(app, module, "unset")
    last = settings[-1]
    where = f"{last.file}:{last.line}"
    reads = [name for name, _ in env_reads(last.value)]
    if reads:
        return Endpoint(app, module, "env", tuple(dict.fromkeys(reads)), where)
    value = Evaluator().evaluate(last.value)
    guards = tuple(g for g in dict.fromkeys(last.guards) if g not in (switches or ()))
    if value is True and guards:
        return Endpoint(app, module, "env", guards, where)
    if value is True and last.guards:
        return Endpoint(app, module, "on", (), where)
    if value is True:
        return Endpoint(app, module, "on", (), where)
    if value is False and not last.guards:
        return Endpoint(app, module, "off", (), where)
    # A false or unreadable value behind a condition: an earlier setting may still hold.
    earlier = _endpoint(app, module, settings[:-1], switches)
    return earlier if earlier.server != "unset" else Endpoint(app, module, "unset")


def _port(settings: list[_Setting]) -> tuple[int | None, str | None]:
    """The port and the variable it is read from, from the last setting that names one."""
    for setting in reversed(settings):
        reads = env_reads(setting.value)
        default = default_port(setting.value)
        if default is None:
            default = setting.fallback
        if reads:
            return default, reads[0][0]
        if default is not None:
            return default, None
    return None, None


def _frozen_port(settings: list[_Setting], boot: set[str]) -> tuple[str, str] | None:
    """(file:line, warning) when the deciding port setting calls ``System.get_env`` in
    build-time config (Phoenix 1.3/1.4's prod.exs ``http: [port: System.get_env("PORT")]``):
    the call runs when the release is built and its value is frozen into the image, so the
    PORT given at boot is never read. Phoenix aborts on a nil port ("aborting due to nil
    port") and listens on a frozen default whatever PORT says. ``{:system, "PORT"}`` (read by
    the endpoint when it starts) and ``load_from_system_env: true`` (the endpoint's ``init/2``
    reads it) are read at boot and need nothing."""
    for setting in reversed(settings):
        reads = env_reads(setting.value)
        if not reads and default_port(setting.value) is None:
            continue
        calls = [(name, node) for name, node in reads if remote_call(node) is not None]
        # an endpoint's init/2 (a .ex file) runs at boot
        if not calls or setting.file in boot or not setting.file.endswith(".exs"):
            return None
        name, call = calls[0]
        where = f"{setting.file}:{call.start_point[0] + 1}"
        default = default_port(setting.value)
        unset = f"it listens on {default}" if default else "the endpoint gets no port and aborts"
        return where, (
            f'{where}: the port is read with System.get_env("{name}") in build-time config, '
            "so the value at build time is frozen into the image "
            f"and {name} at boot is ignored (unset at build: {unset}); move the "
            "`http: [port: ...]` setting into config/runtime.exs"
        )
    return None


def default_port(node: Node) -> int | None:
    """``4000``, ``"4000"``, or the default in ``System.get_env("P") || "4000"`` /
    ``System.get_env("P", "4000")`` / a helper's ``env.("P", 4000)`` / Confex's
    ``{:system, :integer, "P", 4000}``, under ``String.to_integer`` or not."""
    value = Evaluator().evaluate(node)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(value, tuple) and len(value) >= 3 and value[0] == Atom("system"):
        last = value[-1]
        return last if isinstance(last, int) and not isinstance(last, bool) else None
    for inner in walk(node):
        if inner.type == "binary_operator":
            right = inner.child_by_field_name("right")
            if right is not None:
                found = default_port(right)
                if found is not None:
                    return found
        if remote_call(inner) in (("Keyword", "get"), ("Map", "get"), ("Access", "get")):
            args = arguments(inner)
            if len(args) == 3:  # `Keyword.get(opts, :port, 4950)`: its default
                return default_port(args[2])
        helper = _helper_read(inner) is not None
        if helper or remote_call(inner) in (("System", "get_env"), ("System", "fetch_env")):
            args = arguments(inner)
            if len(args) == 2:
                return default_port(args[1])
    return None


def _ip_warnings(settings: list[_Setting]) -> tuple[str, ...]:
    if not settings:
        return ()
    last = settings[-1]
    if env_reads(last.value):
        return ()
    value = Evaluator().evaluate(last.value)
    loopback = isinstance(value, tuple) and (
        (len(value) == 4 and value[0] == 127)
        or (len(value) == 8 and value == (0, 0, 0, 0, 0, 0, 0, 1))
    )
    if not loopback:
        return ()
    return (
        f"{last.file}:{last.line}: the endpoint binds {text(last.value)} (loopback) in prod: "
        "nothing outside the container can reach it; bind {0, 0, 0, 0, 0, 0, 0, 0} or read "
        "the address from the environment in config/runtime.exs",
    )
