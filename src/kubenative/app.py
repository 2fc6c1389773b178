"""One function per command. The core never prints and never exits: it returns results or raises
:class:`kubenative.errors.UserError`; ``kubenative.cli`` does the talking."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kubenative import options as options_file
from kubenative.files import Planned, State, atomic_write, plan_files
from kubenative.options import Options
from kubenative.plan import Plan, make_plan
from kubenative.project.inspect import inspect_project
from kubenative.project.model import Project
from kubenative.render import render_all


@dataclass(frozen=True)
class Generated:
    root: Path
    project: Project
    options: Options
    plan: Plan
    files: list[Planned]

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.plan.warnings


@dataclass
class InitResult:
    generated: Generated
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[Planned] = field(default_factory=list)  # edited by hand, kept without --force


def generate(path: str, overrides: dict[str, Any] | None = None) -> Generated:
    project = inspect_project(path)
    root = Path(project.root)
    opts = options_file.load(root).merged(overrides or {})
    plan = make_plan(project, opts)
    return Generated(root, project, opts, plan, plan_files(root, render_all(plan)))


def init(path: str, overrides: dict[str, Any], *, force: bool = False) -> InitResult:
    """Write the generated files: new or kubenative's own are (re)written; a hand-edited file
    is only overwritten with ``force``. Nothing is written when any file is refused."""
    generated = generate(path, overrides)
    result = InitResult(generated)
    for planned in generated.files:
        if planned.state is State.EDITED and not force:
            result.refused.append(planned)
    if result.refused:
        return result
    for planned in generated.files:
        if planned.state is State.CURRENT:
            result.unchanged.append(planned.path)
        else:
            atomic_write(generated.root / planned.path, planned.text)
            result.written.append(planned.path)
    saved = options_file.dump(generated.options)
    options_path = generated.root / options_file.OPTIONS_FILE
    if generated.options.non_defaults() or options_path.exists():
        if options_path.exists() and options_path.read_text(encoding="utf-8") == saved:
            return result
        atomic_write(options_path, saved)
        result.written.append(options_file.OPTIONS_FILE)
    return result


def check(path: str) -> Generated:
    """What `init` would write now from the project and the saved options, against the disk."""
    return generate(path)
