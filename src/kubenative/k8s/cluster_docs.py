"""The manifests `--cluster dns|kubernetes` adds: the headless Service, the NetworkPolicy and,
for libcluster's Kubernetes strategy, the ServiceAccount, Role and RoleBinding."""

from __future__ import annotations

from kubenative.k8s.cluster import EPMD_PORT, ClusterPlan
from kubenative.k8s.docs import Doc, dump, labels, selector
from kubenative.k8s.plan import KubePlan

COMPONENT = "cluster"


def _cluster(plan: KubePlan) -> ClusterPlan:
    assert plan.cluster is not None
    return plan.cluster


def headless_service(plan: KubePlan) -> str:
    cluster = _cluster(plan)
    ports: list[Doc] = [
        {"name": "dist", "port": cluster.dist_port, "targetPort": "dist", "protocol": "TCP"}
    ]
    if cluster.epmd:
        ports.append({"name": "epmd", "port": EPMD_PORT, "targetPort": "epmd", "protocol": "TCP"})
    doc: Doc = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": cluster.service,
            "labels": {**dict(cluster.service_labels), **labels(plan, COMPONENT)},
        },
        "spec": {
            "clusterIP": "None",
            # Booting pods are listed too: nodes connect before readiness, which may wait
            # for the cluster.
            "publishNotReadyAddresses": True,
            "selector": labels(plan),
            "ports": ports,
        },
    }
    comment = (
        f"# Headless: its DNS name answers with one A record per pod of {plan.name}, which is\n"
        f"# how {cluster.strategy} finds the other nodes.\n"
    )
    return dump(doc, comment)


def network_policy(plan: KubePlan) -> str:
    cluster = _cluster(plan)
    dist: list[Doc] = [{"protocol": "TCP", "port": "dist"}]
    if cluster.epmd:
        dist.append({"protocol": "TCP", "port": "epmd"})
    ingress: list[Doc] = [{"from": [{"podSelector": selector(plan)}], "ports": dist}]
    if plan.service:
        # From anywhere: an ingress controller usually runs in a namespace of its own.
        ingress.append({"ports": [{"protocol": "TCP", "port": p.name} for p in plan.ports]})
    doc: Doc = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": plan.name, "labels": labels(plan, COMPONENT)},
        "spec": {"podSelector": selector(plan), "policyTypes": ["Ingress"], "ingress": ingress},
    }
    comment = (
        "# The Erlang distribution is full remote control of a node: only the pods of this app\n"
        "# reach its port (the cookie is the second lock). The HTTP ports stay open; any other\n"
        "# port of the pods is closed to other pods once this policy selects them.\n"
    )
    return dump(doc, comment)


def service_account(plan: KubePlan) -> str:
    doc: Doc = {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": plan.name, "labels": labels(plan, COMPONENT)},
        "automountServiceAccountToken": False,  # the Deployment's pods mount it themselves
    }
    return dump(doc)


def role(plan: KubePlan) -> str:
    cluster = _cluster(plan)
    verbs = ["get", "list", "watch"]
    rules: list[Doc] = [
        {"apiGroups": [""], "resources": ["endpoints"], "verbs": verbs},
        {"apiGroups": ["discovery.k8s.io"], "resources": ["endpointslices"], "verbs": verbs},
    ]
    if cluster.rbac_pods:
        rules.append({"apiGroups": [""], "resources": ["pods"], "verbs": verbs})
    doc: Doc = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": {"name": f"{plan.name}-cluster", "labels": labels(plan, COMPONENT)},
        "rules": rules,
    }
    comment = "# What libcluster's Kubernetes strategy reads to find the other pods, no more.\n"
    return dump(doc, comment)


def role_binding(plan: KubePlan) -> str:
    doc: Doc = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": {"name": f"{plan.name}-cluster", "labels": labels(plan, COMPONENT)},
        "roleRef": {
            "apiGroup": "rbac.authorization.k8s.io",
            "kind": "Role",
            "name": f"{plan.name}-cluster",
        },
        "subjects": [{"kind": "ServiceAccount", "name": plan.name}],
    }
    return dump(doc)


def render(plan: KubePlan) -> dict[str, str]:
    """The cluster's files of the base, by name (empty without `--cluster`)."""
    cluster = plan.cluster
    if cluster is None:
        return {}
    files = {
        "headless-service.yaml": headless_service(plan),
        "networkpolicy.yaml": network_policy(plan),
    }
    if cluster.rbac:
        files["serviceaccount.yaml"] = service_account(plan)
        files["role.yaml"] = role(plan)
        files["rolebinding.yaml"] = role_binding(plan)
    files.update(cluster.files)
    return files
