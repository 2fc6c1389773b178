"""Pure helpers of the benchmark: results, the targets the issue sets, markdown, machine facts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from kubenative.docker import progress

MB = 1_000_000
OVERHEAD_TARGET = 13 * MB  # `minimal` image bytes over the release bytes
REBUILD_TARGET = 0.20  # kubenative's code-only rebuild over its cold build

# Rebuild scenarios in table order: key, column title.
CHANGES = (
    ("code", "code"),
    ("assets", "assets"),
    ("runtime_config", "runtime.exs"),
)
KUBENATIVE = ("kubenative-slim", "kubenative-minimal")


@dataclass
class Variant:
    """What one Dockerfile cost on one fixture. Times in seconds, sizes in bytes."""

    name: str
    cold: float | None = None
    rebuilds: dict[str, float] = field(default_factory=dict)
    cached: dict[str, str] = field(default_factory=dict)  # "cached/total" steps of each build
    samples: dict[str, list[float]] = field(default_factory=dict)  # every rebuild measured
    image_bytes: int | None = None  # regular files of the flattened image (kubenative report)
    image_gzip_bytes: int | None = None  # its layers gzip-compressed, as a registry gets them
    inspect_size: int | None = None  # `docker image inspect` .Size (engine-dependent meaning)
    error: str | None = None

    def overhead(self, release_bytes: int | None) -> int | None:
        if self.image_bytes is None or release_bytes is None:
            return None
        return self.image_bytes - release_bytes

    def code_ratio(self) -> float | None:
        code = self.rebuilds.get("code")
        if code is None or not self.cold:
            return None
        return code / self.cold


@dataclass
class Fixture:
    name: str
    release_bytes: int | None = None
    variants: list[Variant] = field(default_factory=list)

    def variant(self, name: str) -> Variant | None:
        return next((v for v in self.variants if v.name == name), None)


@dataclass(frozen=True)
class Target:
    label: str
    measured: str
    met: bool | None  # None: not measured


def mb(value: int | None) -> str:
    return "—" if value is None else f"{value / MB:.1f}"


def seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def ratio(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def fixture_table(fixture: Fixture) -> str:
    """One markdown table: a row per Dockerfile, build times then sizes."""
    head = [
        "Dockerfile",
        "cold (s)",
        *(f"{title} (s)" for _, title in CHANGES),
        "code / cold",
        "image (MB)",
        "gzip (MB)",
        "over release (MB)",
    ]
    rows = [head, ["---"] + ["---:"] * (len(head) - 1)]
    for v in fixture.variants:
        if v.error is not None:
            rows.append([v.name, f"failed: {v.error}"] + [""] * (len(head) - 2))
            continue
        rows.append(
            [
                v.name,
                seconds(v.cold),
                *(seconds(v.rebuilds.get(key)) for key, _ in CHANGES),
                ratio(v.code_ratio()),
                mb(v.image_bytes),
                mb(v.image_gzip_bytes),
                mb(v.overhead(fixture.release_bytes)),
            ]
        )
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def targets(fixtures: list[Fixture]) -> list[Target]:
    """The issue's two targets, per fixture."""
    found: list[Target] = []
    for f in fixtures:
        minimal = f.variant("kubenative-minimal")
        over = minimal.overhead(f.release_bytes) if minimal and not minimal.error else None
        found.append(
            Target(
                f"{f.name}: `minimal` overhead over the release ≤ {mb(OVERHEAD_TARGET)} MB",
                f"{mb(over)} MB",
                None if over is None else over <= OVERHEAD_TARGET,
            )
        )
        for name in KUBENATIVE:
            v = f.variant(name)
            r = v.code_ratio() if v and not v.error else None
            found.append(
                Target(
                    f"{f.name}: {name} code-only rebuild ≤ {ratio(REBUILD_TARGET)} of cold",
                    ratio(r),
                    None if r is None else r <= REBUILD_TARGET,
                )
            )
    return found


def verdict(met: bool | None) -> str:
    return {True: "met", False: "NOT met", None: "not measured"}[met]


def report(fixtures: list[Fixture], machine: dict[str, str], command: str) -> str:
    """The whole markdown report: machine, command, a table per fixture, the targets."""
    lines = [f"Command: `{command}`", "", "Machine:"]
    lines += [f"- {key}: {value}" for key, value in machine.items()]
    for f in fixtures:
        lines += ["", f"### {f.name} (release: {mb(f.release_bytes)} MB)", "", fixture_table(f)]
    lines += ["", "Targets:"]
    lines += [f"- {t.label}: {t.measured} — {verdict(t.met)}" for t in targets(fixtures)]
    return "\n".join(lines) + "\n"


def to_json(fixtures: list[Fixture], machine: dict[str, str], command: str) -> dict[str, Any]:
    return {
        "command": command,
        "machine": machine,
        "fixtures": [
            {**asdict(f), "overheads": {v.name: v.overhead(f.release_bytes) for v in f.variants}}
            for f in fixtures
        ],
        "targets": [asdict(t) for t in targets(fixtures)],
    }


def mem_total(meminfo: str) -> int | None:
    """Bytes of MemTotal in the text of /proc/meminfo."""
    for line in meminfo.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "MemTotal:":
            return int(parts[1]) * (1024 if parts[2:] == ["kB"] else 1)
    return None


def cpu_model(cpuinfo: str) -> str | None:
    """The first `model name` in the text of /proc/cpuinfo."""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name":
            return value.strip()
    return None


def cached_steps(log: str, instruction: str = "") -> tuple[int, int]:
    """(reused, total) build steps in a BuildKit plain-progress log, the way `kubenative build`
    counts them (a step fetched from a registry cache counts as reused); only those whose
    instruction starts with `instruction` when given (e.g. "RUN ")."""
    steps = [
        step
        for step in progress.counted(progress.parse_plain(log.splitlines()))
        if step.instruction.startswith(instruction)
    ]
    return sum(1 for step in steps if step.reused), len(steps)


def cache_was_lost(log: str) -> bool:
    """A rebuild that took no RUN step from the cache: the build cache was pruned under it
    (every Dockerfile here has a RUN before the edited files that a rebuild must reuse)."""
    cached, total = cached_steps(log, "RUN ")
    return total > 0 and cached == 0


RESULTS_BEGIN = "<!-- bench:results -->"
RESULTS_END = "<!-- /bench:results -->"


def replace_results(document: str, results: str, block_name: str = "") -> str:
    """The document with the text between the results markers replaced (appended if absent).
    ``block_name`` names another block (one per Debian release): `<!-- bench:results:NAME -->`."""
    begin_marker, end_marker = RESULTS_BEGIN, RESULTS_END
    if block_name:
        begin_marker = RESULTS_BEGIN.replace(" -->", f":{block_name} -->")
        end_marker = RESULTS_END.replace(" -->", f":{block_name} -->")
    block = f"{begin_marker}\n{results.rstrip()}\n{end_marker}"
    begin, end = document.find(begin_marker), document.find(end_marker)
    if begin == -1 or end < begin:
        return document.rstrip() + "\n\n" + block + "\n"
    return document[:begin] + block + document[end + len(end_marker) :]


def parse_sizes(text: str) -> int:
    """Sum of the integers, one a line (the output of `find -printf '%s\\n'`)."""
    return sum(int(line) for line in text.split() if line.isdigit())
