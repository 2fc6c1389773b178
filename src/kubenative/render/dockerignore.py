"""Format a Plan's ignore rules as a .dockerignore."""

from __future__ import annotations

from kubenative.plan import Plan


def render_dockerignore(plan: Plan) -> str:
    lines = [
        "#",
        "# Keeps secrets, build output and everything the image does not need out of the build",
        "# context. Docker anchors every pattern at the context root, so the .gitignore patterns",
        "# below are translated (`*.ez` -> `**/*.ez`, `/deps` -> `deps`). Later lines win.",
    ]
    for group in plan.ignore:
        lines.append("")
        lines.append(f"# {group.comment}")
        lines.extend(group.patterns)
    return "\n".join(lines) + "\n"
