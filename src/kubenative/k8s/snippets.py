"""The Elixir to add when the project's config does not read what a `--cluster` mode needs.

kubenative never edits the project's code: it prints these lines (valid Elixir, with the
variables the manifests set) and the manifests set those variables either way, so the
cluster forms as soon as the lines are in.
"""

from __future__ import annotations

from kubenative.project.clustering import (
    DNS_CLUSTER,
    DNS_POLL,
    K8S_API,
    K8S_DNS,
    K8S_DNSSRV,
    Clustering,
)

# The variable a setting is read from when the snippet adds the read (an existing read keeps
# its own variable).
DEFAULT_VARS = {
    "query": "DNS_CLUSTER_QUERY",
    "service": "DNS_CLUSTER_QUERY",
    "application_name": "RELEASE_NAME",
    "node_basename": "RELEASE_NAME",
    "kubernetes_node_basename": "RELEASE_NAME",
    "kubernetes_selector": "CLUSTER_SELECTOR",
    "namespace": "POD_NAMESPACE",
}
# DNSSRV looks up `<service>.<namespace>.svc.cluster.local`: its service is the short name.
DNSSRV_SERVICE_VAR = "CLUSTER_SERVICE"


def setting_var(strategy: str, key: str, clustering: Clustering) -> str:
    """The variable the manifests set for ``key``: the project's own when it reads one."""
    found = clustering.setting(key) if clustering.strategy == strategy else None
    if found is not None and found.env:
        return found.env
    if strategy == K8S_DNSSRV and key == "service":
        return DNSSRV_SERVICE_VAR
    return DEFAULT_VARS[key]


def _read(var: str, placeholder: bool, strict: bool = False) -> str:
    """How config reads ``var`` at boot: Distillery fills ``"${VAR}"`` (REPLACE_OS_VARS)."""
    if placeholder:
        return f'"${{{var}}}"'
    return f'System.{"fetch_env!" if strict else "get_env"}("{var}")'


def dns_cluster(clustering: Clustering, app: str, target: str, placeholder: bool) -> str:
    """What to add for dns_cluster: the dependency, the child and the config line."""
    parts: list[str] = []
    if clustering.library != "dns_cluster" and clustering.strategy != DNS_CLUSTER:
        parts += ["# mix.exs, in deps:", '{:dns_cluster, "~> 0.2"},']
    if clustering.strategy != DNS_CLUSTER:
        parts += [
            f"# lib/{app}/application.ex, in children (before the endpoint):",
            f"{{DNSCluster, query: Application.get_env(:{app}, :dns_cluster_query) || :ignore}},",
        ]
    var = setting_var(DNS_CLUSTER, "query", clustering)
    parts += [
        f"# {target}:",
        f"config :{app}, :dns_cluster_query, {_read(var, placeholder)}",
    ]
    return "\n".join(parts)


def libcluster(
    clustering: Clustering, strategy: str, app: str, module: str, target: str, placeholder: bool
) -> str:
    """What to add for a libcluster topology of ``strategy``."""
    parts: list[str] = []
    if clustering.library != "libcluster":
        parts += ["# mix.exs, in deps:", '{:libcluster, "~> 3.3"},']
    if not clustering.supervisor:
        parts += [
            f"# lib/{app}/application.ex, in children:",
            "{Cluster.Supervisor, [Application.get_env(:libcluster, :topologies, []), "
            f"[name: {module}.ClusterSupervisor]]}},",
        ]
    keys = {
        K8S_DNS: ("service", "application_name"),
        K8S_DNSSRV: ("service", "namespace", "application_name"),
        DNS_POLL: ("query", "node_basename"),
        K8S_API: ("kubernetes_selector", "kubernetes_node_basename"),
    }[strategy]
    settings = ",\n".join(
        f"        {key}: {_read(setting_var(strategy, key, clustering), placeholder, True)}"
        for key in keys
    )
    where = (
        f" (in place of the topology at {clustering.source})"
        if clustering.strategy == strategy and clustering.source
        else ""
    )
    parts += [
        f"# {target}{where}:",
        "config :libcluster,",
        "  topologies: [",
        "    kubernetes: [",
        f"      strategy: {strategy},",
        "      config: [",
        settings,
        "      ]",
        "    ]",
        "  ]",
    ]
    return "\n".join(parts)
