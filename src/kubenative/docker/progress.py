"""Read BuildKit's plain progress output into per-stage step counts, cache hits and times.

BuildKit prints every step (a "vertex") as ``#N [stage i/n] INSTRUCTION`` and later reports it
as ``#N CACHED`` or ``#N DONE 1.2s`` (or ``#N ERROR ...``). Steps of one stage share the stage
name, which is the ``AS`` name in the Dockerfile.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_VERTEX = re.compile(r"^#(\d+) \[(?P<stage>[\w.-]+) (?P<index>\d+)/(?P<count>\d+)\] (?P<what>.*)$")
_RESULT = re.compile(r"^#(\d+) (?P<state>CACHED|DONE|ERROR|CANCELED)(?: (?P<secs>[\d.]+)s)?")
_ANY = re.compile(r"^#(\d+) ")


@dataclass
class Step:
    stage: str
    index: int
    instruction: str
    cached: bool = False
    seconds: float = 0.0
    error: bool = False
    output: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StageReport:
    name: str
    cached: int
    total: int
    seconds: float

    @property
    def all_cached(self) -> bool:
        return self.total > 0 and self.cached == self.total


def parse_plain(lines: Iterable[str]) -> list[Step]:
    """Every stage step in the order BuildKit first named it."""
    steps: dict[str, Step] = {}
    order: list[str] = []
    for raw in lines:
        line = raw.rstrip("\n")
        vertex = _VERTEX.match(line)
        if vertex:
            key = vertex.group(1)
            if key not in steps:
                steps[key] = Step(vertex["stage"], int(vertex["index"]), vertex["what"])
                order.append(key)
            continue
        result = _RESULT.match(line)
        if result and result.group(1) in steps:
            step = steps[result.group(1)]
            state = result["state"]
            step.cached = step.cached or state == "CACHED"
            step.error = step.error or state == "ERROR"
            if result["secs"]:
                step.seconds = float(result["secs"])
            continue
        other = _ANY.match(line)
        if other and other.group(1) in steps:
            step = steps[other.group(1)]
            step.output.append(line[other.end() :])
    return [steps[key] for key in order]


def by_stage(steps: Iterable[Step]) -> dict[str, StageReport]:
    """Per stage: steps cached, steps in all, and the seconds its steps took. ``FROM`` only
    resolves a base image (BuildKit never reports it cached), so it is not counted as a step."""
    grouped: dict[str, list[Step]] = {}
    for step in steps:
        if not step.instruction.startswith("FROM "):
            grouped.setdefault(step.stage, []).append(step)
    return {
        name: StageReport(
            name,
            cached=sum(1 for s in group if s.cached),
            total=len(group),
            seconds=round(sum(s.seconds for s in group), 1),
        )
        for name, group in grouped.items()
    }
