"""How the release finds the other nodes of its cluster, read from the project's files.

Facts only (the Kubernetes plan decides what to do with them). What counts, and why:

- The library is a dependency in a mix file: ``dns_cluster`` (Phoenix's generator adds it since
  1.7.3) or ``libcluster``.
- ``dns_cluster`` is a child ``{DNSCluster, query: ...}`` in a supervision tree. DNSCluster reads
  no variable itself: its ``query`` is whatever the child is given, usually
  ``Application.get_env(:app, :dns_cluster_query)``, which ``config/runtime.exs`` sets from
  ``System.get_env("DNS_CLUSTER_QUERY")``. It connects to ``<basename>@<ip>`` for every A record
  of the query, the basename being its own node's (everything before the ``@``).
- libcluster: a topology is a keyword list with ``strategy: Cluster.Strategy.X`` and
  ``config: [...]``, in config files (``config :libcluster, topologies: [...]``) or built in
  code (``{Cluster.Supervisor, [topologies, ...]}``). Each strategy reads its own settings
  (libcluster's source): ``Kubernetes.DNS`` ``service`` + ``application_name`` (an A-record
  lookup of the service, nodes ``<application_name>@<ip>``), ``Kubernetes.DNSSRV`` ``service`` +
  ``namespace`` + ``application_name`` (an SRV lookup, nodes named by pod host names),
  ``DNSPoll`` ``query`` + ``node_basename``, ``Kubernetes`` ``kubernetes_selector`` +
  ``kubernetes_node_basename`` (the API's endpoints, or pods with
  ``kubernetes_ip_lookup_mode: :pods``; nodes ``<basename>@<ip>`` in the default ``mode: :ip``).
- A setting's value is a literal, a variable read at boot (``System.get_env("X")``,
  ``System.fetch_env!("X")``, ``{:system, "X"}``, Distillery's ``"${X}"``, also through a
  variable bound earlier in the file or ``Application.get_env(:app, :key)`` of a config entry),
  or an expression kubenative cannot follow (kept as text).
- Code under ``if config_env() == :dev`` (or ``:test``) is skipped, like every boot reader.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kubenative.project.elixir_ast import (
    Node,
    call_arguments,
    call_name,
    keyword_name,
    parse_source,
    remote_call,
    text,
)
from kubenative.project.endpoints import ENV_READS
from kubenative.project.mix_exs import parse_mix_exs
from kubenative.project.prod_walk import PLACEHOLDER, prod_walk

DNS_CLUSTER = "DNSCluster"
K8S_DNS = "Cluster.Strategy.Kubernetes.DNS"
K8S_DNSSRV = "Cluster.Strategy.Kubernetes.DNSSRV"
K8S_API = "Cluster.Strategy.Kubernetes"
DNS_POLL = "Cluster.Strategy.DNSPoll"
GOSSIP = "Cluster.Strategy.Gossip"

# What `--cluster` each strategy works with, in the order one is preferred when a project
# configures several (a Kubernetes strategy over a generic DNS one over the rest).
MODES = {
    DNS_CLUSTER: "dns",
    K8S_DNS: "dns",
    K8S_DNSSRV: "dns",
    K8S_API: "kubernetes",
    DNS_POLL: "dns",
}
# The settings each strategy cannot work without.
NEEDS = {
    DNS_CLUSTER: ("query",),
    K8S_DNS: ("service", "application_name"),
    K8S_DNSSRV: ("service", "namespace", "application_name"),
    K8S_API: ("kubernetes_selector", "kubernetes_node_basename"),
    DNS_POLL: ("query", "node_basename"),
}
LIBRARIES = ("dns_cluster", "libcluster")
_SKIPPED_CONFIG = ("dev.exs", "test.exs")


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


@dataclass(frozen=True)
class Clustering:
    """The clustering the project sets up (``library`` None: none found)."""

    library: str | None = None
    strategy: str | None = None  # "DNSCluster" or a libcluster strategy module
    source: str | None = None  # file:line of the child or the `strategy:` setting
    settings: tuple[Setting, ...] = ()
    others: tuple[tuple[str, str], ...] = ()  # other strategies found: (module, file:line)
    supervisor: bool = False  # libcluster's Cluster.Supervisor is started somewhere
    lookup_pods: bool = False  # Kubernetes strategy with kubernetes_ip_lookup_mode: :pods

    @property
    def mode(self) -> str | None:
        """The `--cluster` value this strategy works with, None when none does."""
        return MODES.get(self.strategy or "")

    def setting(self, key: str) -> Setting | None:
        return next((s for s in self.settings if s.key == key), None)

    @property
    def missing(self) -> tuple[str, ...]:
        """The needed settings the project does not set at all."""
        return tuple(k for k in NEEDS.get(self.strategy or "", ()) if self.setting(k) is None)

    @property
    def reads(self) -> tuple[str, ...]:
        """The variables the needed settings are read from."""
        needed = NEEDS.get(self.strategy or "", ())
        return tuple(s.env for s in self.settings if s.key in needed and s.env)

    @property
    def configured(self) -> bool:
        """Every needed setting is a literal or read from a variable (kubenative can set it)."""
        needed = NEEDS.get(self.strategy or "", ())
        settings = [self.setting(k) for k in needed]
        return bool(needed) and all(s is not None and s.expr is None for s in settings)

    def to_json(self) -> dict[str, Any]:
        return {
            "library": self.library,
            "strategy": self.strategy,
            "source": self.source,
            "mode": self.mode,
            "configured": self.configured,
            "reads": list(self.reads),
            "missing": list(self.missing),
            "settings": {s.key: s.to_json() for s in self.settings},
            "others": [{"strategy": s, "where": w} for s, w in self.others],
        }


@dataclass
class _Found:
    strategy: str
    where: str
    settings: list[Setting]
    lookup_pods: bool = False


class _File:
    """One parsed file: its tree, aliases (``alias Cluster.Strategy.DNSPoll``) and the
    variables bound in it (``app_name = System.get_env(...)``), for following a value."""

    def __init__(self, rel: str, source: str) -> None:
        self.rel = rel
        self.root = parse_source(source, rel)
        self.aliases: dict[str, str] = {}
        self.bindings: dict[str, list[Node]] = {}
        self.attributes: dict[str, Node] = {}  # `@app :my_app`: the last literal set
        for node in prod_walk(self.root):
            if node.type == "unary_operator" and _op(node) == "@":
                operand = node.child_by_field_name("operand")
                args = call_arguments(operand) if operand is not None else []
                name = call_name(operand) if operand is not None else None
                if name is not None and len(args) == 1:
                    self.attributes[name] = args[0]
            if call_name(node) == "alias":
                for arg in call_arguments(node)[:1]:
                    if arg.type == "alias":
                        full = _module(text(arg))
                        self.aliases[full.rsplit(".", 1)[-1]] = full
            elif node.type == "binary_operator" and _op(node) == "=":
                left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
                if left is not None and right is not None and left.type == "identifier":
                    self.bindings.setdefault(text(left), []).append(right)

    def module(self, node: Node) -> str:
        name = _module(text(node))
        head, _, rest = name.partition(".")
        full = self.aliases.get(head)
        return f"{full}.{rest}".rstrip(".") if full else name

    def where(self, node: Node) -> str:
        return f"{self.rel}:{node.start_point[0] + 1}"


class _Reader:
    def __init__(self, files: list[_File], distillery: bool) -> None:
        self.files = files
        self.distillery = distillery  # "${X}" is a variable only where REPLACE_OS_VARS fills it

    def config_value(self, app: str, key: str) -> tuple[_File, Node] | None:
        """The last ``config :app, :key, value`` / ``config :app, key: value`` in prod."""
        found: tuple[_File, Node] | None = None
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
                    value = _pair(args[1], key)
                    if value is not None:
                        found = (file, value)
        return found

    def setting(self, key: str, file: _File, node: Node, depth: int = 0) -> Setting:
        """What ``node`` (a setting's value in ``file``) is, followed through bindings and
        ``Application.get_env`` to a literal or a variable read at boot."""
        where = file.where(node)
        if depth > 6:
            return Setting(key, where, expr=_short(node))
        if node.type in ("string", "charlist"):
            raw = text(node)
            inner = raw[1:-1] if raw[:1] in "\"'" else None
            if inner is not None and "#{" not in inner:
                placeholder = PLACEHOLDER.fullmatch(inner)
                if placeholder and self.distillery:  # filled by REPLACE_OS_VARS at boot
                    return Setting(key, where, env=placeholder.group(1))
                return Setting(key, where, value=inner)
            return Setting(key, where, expr=_short(node))
        if node.type == "integer":
            return Setting(key, where, value=text(node).replace("_", ""))
        if node.type == "atom":
            return Setting(key, where, expr=text(node))
        read = _env_read(node)
        if read is not None:
            return Setting(key, where, env=read[0], default=read[1])
        if node.type == "binary_operator" and _op(node) == "||":
            left = node.child_by_field_name("left")
            if left is not None:
                return self.setting(key, file, left, depth + 1)
        if node.type == "identifier" and text(node) in file.bindings:
            before = [n for n in file.bindings[text(node)] if n.start_byte < node.start_byte]
            if before:
                return self.setting(key, file, before[-1], depth + 1)
        if node.type == "call" and remote_call(node) in (
            ("Application", "get_env"),
            ("Application", "fetch_env!"),
        ):
            args = call_arguments(node)
            app = _atom_name(args[0], file) if args else None
            if len(args) >= 2 and app is not None and args[1].type == "atom":
                found = self.config_value(app, text(args[1])[1:])
                if found is not None:
                    return self.setting(key, found[0], found[1], depth + 1)
        return Setting(key, where, expr=_short(node))

    def dns_cluster(self) -> Iterator[_Found]:
        """``{DNSCluster, query: ...}`` children (and ``{DNSCluster, opts}`` with a binding)."""
        for file in self.files:
            for node in prod_walk(file.root):
                if node.type != "tuple":
                    continue
                items = [c for c in node.named_children if c.type != "comment"]
                if len(items) != 2 or items[0].type != "alias":
                    continue
                if file.module(items[0]) != DNS_CLUSTER:
                    continue
                opts = items[1]
                query = _pair(opts, "query") if opts.type in ("keywords", "list") else None
                settings = [self.setting("query", file, query)] if query is not None else []
                yield _Found(DNS_CLUSTER, file.where(node), settings)

    def topologies(self) -> Iterator[_Found]:
        """Every ``strategy: Module`` with its sibling ``config: [...]``."""
        for file in self.files:
            for node in prod_walk(file.root):
                if node.type != "keywords":
                    continue
                strategy = _pair(node, "strategy")
                if strategy is None or strategy.type != "alias":
                    continue
                module = file.module(strategy)
                config = _pair(node, "config")
                if config is not None and config.type == "identifier":
                    bound = file.bindings.get(text(config), [])
                    config = bound[-1] if bound else None
                settings: list[Setting] = []
                pods = False
                for key, value in _pairs(config) if config is not None else ():
                    settings.append(self.setting(key, file, value))
                    if key == "kubernetes_ip_lookup_mode" and text(value) == ":pods":
                        pods = True
                yield _Found(module, file.where(strategy), settings, pods)

    def supervisor(self) -> bool:
        return any(
            node.type == "alias" and file.module(node) == "Cluster.Supervisor"
            for file in self.files
            for node in prod_walk(file.root)
        )


def read(
    root: Path,
    mix_files: Iterable[str],
    config: Iterable[str],
    lib: Iterable[str],
    *,
    distillery: bool = False,
) -> Clustering:
    """The clustering of the project at ``root``: its mix files (for the library), its config
    files in evaluation order, and its lib/ sources; ``distillery``: the release fills
    ``"${X}"`` placeholders at boot."""
    deps: set[str] = set()
    for rel in mix_files:
        source = _text(root / rel)
        if source is not None:
            deps.update(dep.name for dep in parse_mix_exs(source, rel).deps)
    files: list[_File] = []
    for rel in [*config, *lib]:
        if rel.endswith(_SKIPPED_CONFIG):
            continue
        source = _text(root / rel)
        if source is not None and any(word in source for word in ("Cluster", "cluster")):
            files.append(_File(rel, source))
    reader = _Reader(files, distillery)
    found = [*reader.dns_cluster(), *reader.topologies()]
    libraries = [name for name in LIBRARIES if name in deps]
    if not found:
        return Clustering(library=libraries[0] if libraries else None)
    order = [*MODES]
    found.sort(key=lambda f: order.index(f.strategy) if f.strategy in order else len(order))
    chosen = found[0]
    library = "dns_cluster" if chosen.strategy == DNS_CLUSTER else "libcluster"
    return Clustering(
        library=library,
        strategy=chosen.strategy,
        source=chosen.where,
        settings=tuple(chosen.settings),
        others=tuple((f.strategy, f.where) for f in found[1:]),
        supervisor=reader.supervisor(),
        lookup_pods=chosen.lookup_pods,
    )


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _module(name: str) -> str:
    name = "".join(name.split())
    return name.removeprefix("Elixir.")


def _atom_name(node: Node, file: _File) -> str | None:
    """``:app``, or ``@app`` set to an atom in the same file."""
    if node.type == "unary_operator" and _op(node) == "@":
        operand = node.child_by_field_name("operand")
        value = file.attributes.get(text(operand)) if operand is not None else None
        node = value if value is not None else node
    return text(node)[1:] if node.type == "atom" else None


def _op(node: Node) -> str:
    op = node.child_by_field_name("operator")
    return text(op) if op is not None else ""


def _pairs(node: Node) -> Iterator[tuple[str, Node]]:
    """The (key, value node) pairs of a keyword list (``[a: 1]`` or bare ``a: 1``)."""
    holders = [node] if node.type == "keywords" else []
    if node.type == "list":
        holders = [c for c in node.named_children if c.type == "keywords"]
    for holder in holders:
        for pair in holder.named_children:
            key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
            name = keyword_name(key) if key is not None else None
            if name is not None and value is not None:
                yield name, value


def _pair(node: Node, name: str) -> Node | None:
    return next((value for key, value in _pairs(node) if key == name), None)


def _env_read(node: Node) -> tuple[str, str | None] | None:
    """(variable, default) of ``System.get_env("X"[, d])``, ``System.fetch_env!("X")``,
    ``{:system, "X"[, d]}`` (and Confex's ``{:system, :type, "X"[, d]}``)."""
    found = remote_call(node)
    if found is not None and found[0] == "System" and found[1] in ENV_READS:
        args = call_arguments(node)
        name = _literal_string(args[0]) if args else None
        default = _literal_string(args[1]) if len(args) > 1 else None
        return (name, default) if name else None
    if node.type == "tuple":
        items = [c for c in node.named_children if c.type != "comment"]
        if items and text(items[0]) == ":system" and len(items) >= 2:
            rest = items[2:] if items[1].type == "atom" else items[1:]
            name = _literal_string(rest[0]) if rest else None
            default = _literal_string(rest[1]) if len(rest) > 1 else None
            return (name, default) if name else None
    return None


def _literal_string(node: Node) -> str | None:
    raw = text(node)
    if node.type == "string" and "#{" not in raw and raw[:1] == '"':
        return raw[1:-1]
    return None


def _short(node: Node) -> str:
    flat = " ".join(text(node).split())
    return flat if len(flat) <= 80 else flat[:77] + "..."
