"""Manifests are data: dicts serialized in the order they are built (PyYAML, no sorting, no
aliases). Shared by the renderers of the base (manifests.py, cluster_docs.py)."""

from __future__ import annotations

from typing import Any

import yaml

from kubenative.k8s.plan import KubePlan

Doc = dict[str, Any]


class _Dumper(yaml.SafeDumper):
    """Plain YAML: a dict used twice (the Job's labels) is written twice, not as an alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(doc: Doc, comment: str = "") -> str:
    return comment + yaml.dump(
        doc, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=100
    )


def labels(plan: KubePlan, component: str = "server") -> Doc:
    return {"app.kubernetes.io/name": plan.name, "app.kubernetes.io/component": component}


def selector(plan: KubePlan, component: str = "server") -> Doc:
    return {"matchLabels": labels(plan, component)}
