"""How the release finds the other nodes of its cluster, read from the project's files.

Facts only (the Kubernetes plan decides what to do with them). What counts, and why:

- The library is a dependency in a mix file: ``dns_cluster`` (a current
  ``mix phx.new`` adds it) or ``libcluster``.
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
- A setting's value is a literal, a variable read at boot, or an expression kubenative cannot
  follow (kubenative.project.follow says how values are followed).
- Code under ``if config_env() == :dev`` (or ``:test``) is skipped, like every boot reader.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kubenative.errors import ParseError
from kubenative.project.elixir_tree import pairs, text
from kubenative.project.follow import (
    Follower,
    Setting,
    SourceFile,
    pair,
)
from kubenative.project.mix_exs import parse_mix_exs
from kubenative.project.prod_walk import prod_walk
from kubenative.project.reading import read_or_none

__all__ = ["Clustering", "Setting", "read"]

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


class _Reader(Follower):
    """Finds the strategies; follows their settings (kubenative.project.follow)."""

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
                query = pair(opts, "query") if opts.type in ("keywords", "list") else None
                settings = [self.setting("query", file, query)] if query is not None else []
                yield _Found(DNS_CLUSTER, file.where(node), settings)

    def topologies(self) -> Iterator[_Found]:
        """Every ``strategy: Module`` with its sibling ``config: [...]``."""
        for file in self.files:
            for node in prod_walk(file.root):
                if node.type != "keywords":
                    continue
                strategy = pair(node, "strategy")
                if strategy is None or strategy.type != "alias":
                    continue
                module = file.module(strategy)
                config = pair(node, "config")
                if config is not None and config.type == "identifier":
                    bound = file.bindings.get(text(config), [])
                    config = bound[-1] if bound else None
                settings: list[Setting] = []
                pods = False
                for key, value in pairs(config) if config is not None else ():
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
        source = read_or_none(root / rel)
        if source is not None:
            deps.update(dep.name for dep in parse_mix_exs(source, rel).deps)
    files: list[SourceFile] = []
    lib = list(lib)
    for rel in [*config, *lib]:
        if rel.endswith(_SKIPPED_CONFIG):
            continue
        source = read_or_none(root / rel)
        if source is None or not any(word in source for word in ("Cluster", "cluster")):
            continue
        try:
            files.append(SourceFile(rel, source))
        except ParseError:
            if rel in lib:  # boot.py names a lib file the parser cannot read; config must parse
                continue
            raise
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
