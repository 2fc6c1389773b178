"""Format a Plan as a Dockerfile. Decisions live in ``kubenative.plan``; this only writes them."""

from __future__ import annotations

import json

from kubenative.plan import Instruction, Plan, Stage

CONTINUATION = " \\\n    "


def render_dockerfile(plan: Plan) -> str:
    lines = [
        "#",
        f"# {plan.name}: Elixir {plan.elixir}, OTP {plan.otp}, {plan.os_family} "
        f"{plan.os_release}; release `{plan.release}` ({plan.release_tool}).",
        *_versions(plan),
        f"# Stages: {' -> '.join(plan.stage_names)}. Each is cached on its own: a code change",
        f"# rebuilds only {_code_stages(plan)}. Regenerate with `kubenative init`.",
        *_platforms(plan),
        "",
    ]
    for name, image, what in plan.images:
        lines.append(f"# {what}")
        lines.append(f"ARG {name}={image}")
    for stage in plan.stages:
        lines.append("")
        lines.extend(_stage(stage))
    return "\n".join(lines) + "\n"


def _versions(plan: Plan) -> list[str]:
    """Why these versions: the same account `kubenative inspect` gives."""
    if plan.versions is None:
        return []
    return [
        "# Versions (as `kubenative inspect` says):",
        *(f"#   {line}" for line in plan.versions.header()),
    ]


def _platforms(plan: Plan) -> list[str]:
    if not plan.platforms:
        return []
    return [
        f"# Platforms: {', '.join(plan.platforms)}: `kubenative build` makes one multi-platform "
        "image of them.",
    ]


def _code_stages(plan: Plan) -> str:
    """The stages a code change rebuilds: the first that copies the source (`compiled`, when a
    Node step reads the compiled project, else `releaser`) and every stage after it."""
    names = list(plan.stage_names)
    first = "compiled" if "compiled" in names else "releaser"
    rebuilt = [f"`{name}`" for name in names[names.index(first) :]]
    return ", ".join(rebuilt[:-1]) + f" and {rebuilt[-1]}"


def _stage(stage: Stage) -> list[str]:
    platform = f"--platform={stage.platform} " if stage.platform else ""
    lines = [
        f"# ---- {stage.name}: {stage.comment} ----",
        f"FROM {platform}{stage.base} AS {stage.name}",
    ]
    for step in stage.steps:
        if step.comment:
            lines.append("")
            lines.extend(f"# {line}" for line in step.comment.split("\n"))
        lines.append(_instruction(step))
    return lines


def _instruction(step: Instruction) -> str:
    head = " ".join((step.op, *step.flags))
    if step.op == "RUN" and len(step.flags) > 1:
        # Several flags (the secret mounts of an umbrella's config) get a line each.
        head = f"{step.op} " + CONTINUATION.join(step.flags) + CONTINUATION[:-1]
    if step.op in ("ENTRYPOINT", "CMD"):
        return f"{head} {json.dumps(list(step.args))}"
    if step.op == "RUN" and step.script:
        return f"{head} <<'SCRIPT'\n{step.args[0].rstrip()}\nSCRIPT"
    if step.op == "RUN":
        return f"{head} " + (CONTINUATION + "&& ").join(step.args)
    if step.op == "ENV":
        return f"{head} " + CONTINUATION.join(step.args)
    return f"{head} " + " ".join(step.args)
