"""Read BuildKit's plain progress output into per-stage step counts, cache hits and times.

BuildKit prints every step (a "vertex") as ``#N [stage i/n] INSTRUCTION`` and later reports it
as ``#N CACHED`` or ``#N DONE 1.2s`` (or ``#N ERROR ...``). Steps of one stage share the stage
name, which is the ``AS`` name in the Dockerfile (an unnamed stage prints ``[i/n]`` only). A
build given ``--platform`` puts the platform the step runs for first:
``#N [linux/arm64 deps 3/6] RUN mix deps.compile``; a stage that runs on ``$BUILDPLATFORM``
shows the build machine's platform, once, whatever the targets.

A step ends in one of three ways, and the report keeps them apart:

- ``cached``: BuildKit found its result in a cache and said ``CACHED``.
- ``pulled``: its result came from a registry cache (``--cache-from``), but BuildKit printed the
  download of its layers (``sha256:... done``, ``extracting sha256:...``) and ``DONE`` instead
  of ``CACHED``. BuildKit loads a remote cache hit lazily. When another stage or the export
  needs its layers (the last step of ``deps`` before ``COPY --from=deps``, for example), the
  download is reported under the vertex whose cached result is being fetched (BuildKit's
  ``solver/jobs.go`` gives each vertex's cache map a progress controller with that vertex's
  digest) as a plain start and finish, and the plain printer may then show ``DONE`` where it
  would have shown ``CACHED``. The build-push-action#885 maintainers call those lines "the
  download and extraction of remote cache". No command ran: the step was a cache hit.
- ``ran``: everything else. A step that ran made its result locally, so there is nothing to
  download under its own number: the layers of a remote parent it needs are reported under the
  parent's number.

A step that printed process output (``#N 0.803 Compiling ...``) ran, whatever else it printed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

_VERTEX = re.compile(
    r"^#(\d+) \[(?:(?P<platform>[\w-]+/[\w/-]+) )?(?:(?P<stage>[\w.-]+) )?"
    r"(?P<index>\d+)/(?P<count>\d+)\] (?P<what>.*)$"
)
_RESULT = re.compile(r"^#(\d+) (?P<state>CACHED|DONE|ERROR|CANCELED)(?: (?P<secs>[\d.]+)s)?")
_ANY = re.compile(r"^#(\d+) ")
# What BuildKit prints while it fetches a cached layer: the blob's progress and its extraction.
_TRANSFER = re.compile(r"^(?:extracting )?sha256:[0-9a-f]{64}\b")
# What a process run by the step printed: BuildKit puts the seconds since the step began first.
_PROCESS = re.compile(r"^\d+\.\d+ ")

Outcome = Literal["cached", "pulled", "ran"]


@dataclass
class Step:
    stage: str
    index: int
    instruction: str
    platform: str = ""  # the platform BuildKit named (a build given --platform), else ""
    cached: bool = False  # BuildKit said CACHED
    seconds: float = 0.0
    error: bool = False
    output: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> Outcome:
        """How the step ended: ``cached``, ``pulled`` from a registry cache, or ``ran``."""
        if self.cached:
            return "cached"
        if self.error or any(_PROCESS.match(line) for line in self.output):
            return "ran"
        if any(_TRANSFER.match(line) for line in self.output):
            return "pulled"
        return "ran"

    @property
    def reused(self) -> bool:
        """The step's result came from a cache, local or remote: no command ran."""
        return self.outcome != "ran"


@dataclass(frozen=True)
class StageReport:
    name: str
    cached: int  # BuildKit said CACHED
    pulled: int  # downloaded from a registry cache, no command run
    ran: int
    seconds: float

    @property
    def total(self) -> int:
        return self.cached + self.pulled + self.ran

    @property
    def reused(self) -> int:
        """Steps taken from a cache, local or remote."""
        return self.cached + self.pulled

    @property
    def all_cached(self) -> bool:
        """Every step of the stage came from a cache (local or remote): nothing ran."""
        return self.total > 0 and self.ran == 0

    def summary(self) -> str:
        """``6/6 steps cached (1 pulled from the registry cache)``."""
        pulled = f" ({self.pulled} pulled from the registry cache)" if self.pulled else ""
        return f"{self.reused}/{self.total} steps cached{pulled}"


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
                steps[key] = Step(
                    vertex["stage"] or "",
                    int(vertex["index"]),
                    vertex["what"],
                    vertex["platform"] or "",
                )
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


def counted(steps: Iterable[Step]) -> list[Step]:
    """The steps a report counts. ``FROM`` only resolves a base image (BuildKit never reports
    it cached, and a registry base shows its own downloads), so it is not a step of the stage."""
    return [s for s in steps if not s.instruction.startswith("FROM ")]


def by_stage(steps: Iterable[Step]) -> dict[str, StageReport]:
    """Per stage: steps cached, pulled from a registry cache and run, and their seconds."""
    grouped: dict[str, list[Step]] = {}
    for step in counted(steps):
        grouped.setdefault(step.stage, []).append(step)
    reports: dict[str, StageReport] = {}
    for name, group in grouped.items():
        # Each step's outcome once: it scans the step's output lines.
        outcomes = Counter(s.outcome for s in group)
        reports[name] = StageReport(
            name,
            cached=outcomes["cached"],
            pulled=outcomes["pulled"],
            ran=outcomes["ran"],
            seconds=round(sum(s.seconds for s in group), 1),
        )
    return reports


def by_platform(steps: Iterable[Step]) -> dict[str, dict[str, StageReport]]:
    """Per platform BuildKit named, its stages' reports (``by_stage`` of its steps)."""
    grouped: dict[str, list[Step]] = {}
    for step in steps:
        grouped.setdefault(step.platform, []).append(step)
    return {platform: by_stage(group) for platform, group in grouped.items()}


def vertex(line: str) -> tuple[str, str, str, bool] | None:
    """``#N [platform stage i/n] ...`` → (N, platform, stage, whether it is the stage's last
    step); None for any other line."""
    match = _VERTEX.match(line)
    if not match:
        return None
    last = match["index"] == match["count"]
    return match.group(1), match["platform"] or "", match["stage"] or "", last
