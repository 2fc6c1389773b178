"""Format a Plan as a ``docker-bake.hcl``: a target per stage, the final one tagged with the commit
and exporting the registry cache of every stage. Built as data, then serialized in a fixed order.

Use: ``IMAGE=reg.example/app GIT_SHA=$(git rev-parse --short HEAD) BRANCH=main
docker buildx bake --push``.
"""

from __future__ import annotations

import json
from typing import Any

from kubenative.plan import Plan
from kubenative.plan.secrets import DIGEST_ARG

Block = dict[str, Any]


def bake_data(plan: Plan) -> dict[str, dict[str, Block]]:
    """Block type → label → attributes. Variables come from the environment at bake time."""
    cache_from = [
        "type=registry,ref=${IMAGE}:buildcache-${BRANCH}",
        "type=registry,ref=${IMAGE}:buildcache-${DEFAULT_BRANCH}",
    ]
    final = plan.stage_names[-1]
    # Config that git does not hold is a build secret of every target (a conditional import's
    # file is optional: add it with --set '*.secret=id=...,src=...' where it exists), and the
    # digest that reruns the steps it feeds when it changes.
    secrets = [f"id={id_},src={src}" for id_, src, required in plan.config_secrets if required]
    digest = {DIGEST_ARG: "${" + DIGEST_ARG + "}"} if plan.config_secrets else {}
    targets: dict[str, Block] = {}
    for name in plan.stage_names:
        target: Block = {
            "dockerfile": plan.dockerfile,
            "target": name,
            "tags": ["${IMAGE}:" + name + "-${BRANCH}"],
            "cache-from": cache_from,
        }
        if secrets:
            target["secret"] = secrets
        if digest:
            target["args"] = dict(digest)
        if plan.platforms:  # every stage, so each one's cache holds every platform's layers
            target["platforms"] = list(plan.platforms)
        if name == final:
            target["tags"] = ["${IMAGE}:${GIT_SHA}"]
            target["args"] = {"GIT_SHA": "${GIT_SHA}", **digest}
            target["cache-to"] = ["type=registry,ref=${IMAGE}:buildcache-${BRANCH},mode=max"]
        targets[name] = target
    variables: dict[str, Block] = {
        "IMAGE": {"default": plan.name.replace("_", "-")},
        "GIT_SHA": {"default": "dev"},
        "BRANCH": {"default": "main"},
        "DEFAULT_BRANCH": {"default": "main"},
    }
    if digest:
        variables[DIGEST_ARG] = {"default": ""}
    return {
        "variable": variables,
        "group": {"default": {"targets": [final]}},
        "target": targets,
    }


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)


def to_hcl(data: dict[str, dict[str, Block]]) -> str:
    blocks = []
    for kind, labelled in data.items():
        for label, attributes in labelled.items():
            width = max(len(key) for key in attributes)
            body = [f"  {key:<{width}} = {_value(value)}" for key, value in attributes.items()]
            blocks.append(f"{kind} {json.dumps(label)} {{\n" + "\n".join(body) + "\n}")
    return "\n\n".join(blocks) + "\n"


def render_bake(plan: Plan) -> str:
    header = [
        "#",
        "# Build every stage with a registry cache shared across CI runners:",
        "#   IMAGE=registry.example/team/app GIT_SHA=$(git rev-parse --short HEAD) \\",
        "#   BRANCH=$(git rev-parse --abbrev-ref HEAD) docker buildx bake --push",
        *(
            [f"# It builds {', '.join(plan.platforms)} as one multi-platform image."]
            if plan.platforms
            else []
        ),
    ]
    if plan.config_secrets:
        files = " ".join(src for _, src, _ in plan.config_secrets)
        header += [
            f"# with the config that git does not hold ({files}) and a digest of it, so a",
            f"# change reruns the steps it feeds: {DIGEST_ARG}=$(cat {files} 2>/dev/null \\",
            "#   | sha256sum | cut -c1-64)",
        ]
    header += ["# Regenerate with `kubenative init --bake`.", "", ""]
    return "\n".join(header) + to_hcl(bake_data(plan))
