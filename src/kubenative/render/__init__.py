"""Plan → file texts. Each renderer only formats; every decision is in ``kubenative.plan``."""

from __future__ import annotations

from kubenative.files import stamp
from kubenative.plan import Plan
from kubenative.render.dockerfile import render_dockerfile
from kubenative.render.dockerignore import render_dockerignore


def render_all(plan: Plan) -> dict[str, str]:
    """Every generated file, by path relative to the project, with its kubenative stamp."""
    return {
        plan.dockerfile: stamp(render_dockerfile(plan)),
        plan.dockerignore: stamp(render_dockerignore(plan)),
    }
