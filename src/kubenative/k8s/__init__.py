"""Kubernetes manifests: a kustomize base written from the same plan as the Dockerfile."""

from __future__ import annotations

from kubenative.files import stamp
from kubenative.k8s.manifests import SECRETS_FILE, render
from kubenative.k8s.plan import KubePlan, make_k8s_plan
from kubenative.options import Options
from kubenative.plan import Plan
from kubenative.project.model import Project

__all__ = ["SECRETS_FILE", "KubePlan", "make_k8s_plan", "outputs"]


def outputs(project: Project, plan: Plan, options: Options) -> tuple[dict[str, str], KubePlan]:
    """The stamped files of the base, by path relative to the project, and the plan."""
    kube = make_k8s_plan(project, plan, options)
    return {f"{options.k8s_base}/{name}": stamp(text) for name, text in render(kube).items()}, kube
