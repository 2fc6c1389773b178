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
        f"# Stages: {' -> '.join(plan.stage_names)}. Each is cached on its own: a code change",
        "# rebuilds only `releaser` and `runtime`. Regenerate with `kubenative init`.",
        "",
    ]
    for name, image, what in plan.images:
        lines.append(f"# {what}")
        lines.append(f"ARG {name}={image}")
    for stage in plan.stages:
        lines.append("")
        lines.extend(_stage(stage))
    return "\n".join(lines) + "\n"


def _stage(stage: Stage) -> list[str]:
    lines = [f"# ---- {stage.name}: {stage.comment} ----", f"FROM {stage.base} AS {stage.name}"]
    for step in stage.steps:
        if step.comment:
            lines.append("")
            lines.append(f"# {step.comment}")
        lines.append(_instruction(step))
    return lines


def _instruction(step: Instruction) -> str:
    head = " ".join((step.op, *step.flags))
    if step.op in ("ENTRYPOINT", "CMD"):
        return f"{head} {json.dumps(list(step.args))}"
    if step.op == "RUN":
        return f"{head} " + (CONTINUATION + "&& ").join(step.args)
    if step.op == "ENV":
        return f"{head} " + CONTINUATION.join(step.args)
    return f"{head} " + " ".join(step.args)
