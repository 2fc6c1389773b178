"""Sweep kubenative over a corpus of real projects and check generic invariants.

    .venv/bin/python bench/sweep.py /work/corpus [--projects bench/corpus/projects.tsv]
        [--kubenative-src DIR] [--json OUT] [--md OUT] [--only NAME] [--timeout S]

For every project in the list: ``kubenative inspect --json`` and ``kubenative init --dry-run``
run in a subprocess with PYTHONPATH pointing at ``--kubenative-src`` (any checkout's ``src/``,
so one sweep measures any commit), on a hard-linked copy of the project (the corpus is never
written; a file the dry run creates is itself a violation). Then the nine invariants of
:mod:`bench.invariants.checks` are checked; see docs/corpus.md for what each means.
Projects named in the held-out list are refused.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.invariants import catalog, checks  # noqa: E402
from bench.invariants.dockerfile import image_refs  # noqa: E402
from bench.invariants.facts import Project  # noqa: E402
from bench.invariants.tags import TagData  # noqa: E402
from bench.invariants.versions import otp_table  # noqa: E402

HELD_OUT = Path("/work/shared/data/held-out.txt")
PROJECTS = ROOT / "bench" / "corpus" / "projects.tsv"
FIELDS = ("dir", "repo", "commit", "date", "subpath", "app", "tags")


@dataclass(frozen=True)
class Entry:
    dir: str
    repo: str
    commit: str
    date: str
    subpath: str
    app: str
    tags: str

    @property
    def name(self) -> str:
        return self.dir if self.subpath in (".", "") else f"{self.dir}/{self.subpath}"


class SweepError(Exception):
    pass


def read_projects(path: Path) -> list[Entry]:
    rows: list[Entry] = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if not row or row[0].startswith("#") or row[0] == "dir":
                continue
            row = row + [""] * (len(FIELDS) - len(row))
            rows.append(Entry(*[cell.strip() for cell in row[: len(FIELDS)]]))
    return rows


def held_out(path: Path) -> set[str]:
    if not path.is_file():
        raise SweepError(f"{path}: the held-out list is missing; pass --held-out FILE")
    return {
        line.strip().lower()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }


def refused(entries: list[Entry], names: set[str]) -> list[Entry]:
    """The entries whose repository (owner/name, any case) is held out."""
    return [e for e in entries if e.repo.lower() in names]


def _files(root: Path) -> set[str]:
    out: set[str] = set()
    for base, dirs, files in os.walk(root):
        for name in files:
            out.add(os.path.relpath(os.path.join(base, name), root))
        dirs[:] = [d for d in dirs]
    return out


def _run(argv: list[str], env: dict[str, str], cwd: Path, timeout: float) -> checks.Run:
    start = time.monotonic()
    try:
        result = subprocess.run(
            argv, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout
        )
    except subprocess.TimeoutExpired as err:
        out = err.stdout.decode() if isinstance(err.stdout, bytes) else err.stdout or ""
        errs = err.stderr.decode() if isinstance(err.stderr, bytes) else err.stderr or ""
        return checks.Run(None, out, errs, time.monotonic() - start, timed_out=True)
    return checks.Run(result.returncode, result.stdout, result.stderr, time.monotonic() - start)


def split_dry_run(stdout: str) -> dict[str, str]:
    """``==> path <==`` sections of ``init --dry-run`` -> {path: text}."""
    files: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for line in stdout.splitlines(keepends=True):
        if line.startswith("==> ") and line.rstrip().endswith(" <=="):
            if current is not None:
                files[current] = "".join(lines)
            current, lines = line.rstrip()[4:-4], []
        elif current is not None:
            lines.append(line)
    if current is not None:
        files[current] = "".join(lines)
    return files


def run_project(
    entry: Entry, corpus: Path, src: Path, timeout: float, work: Path
) -> tuple[checks.Run, checks.Run, Path]:
    """Run inspect and init on a hard-linked copy; return both runs and the project path."""
    source = corpus / entry.dir
    copy = work / entry.dir.replace("/", "_")
    if copy.exists():
        shutil.rmtree(copy)
    subprocess.run(["cp", "-al", str(source), str(copy)], check=True)
    before = _files(copy)
    target = copy / entry.subpath if entry.subpath not in ("", ".") else copy
    env = {
        **os.environ,
        "PYTHONPATH": str(src),
        "XDG_CACHE_HOME": str(work / "cache"),
        "NO_COLOR": "1",
    }
    extra = ["--app", entry.app] if entry.app not in ("", "-") else []
    py = sys.executable
    inspect = _run(
        [py, "-m", "kubenative", "inspect", "--json", str(target), *extra], env, work, timeout
    )
    init = _run(
        [py, "-m", "kubenative", "init", "--dry-run", str(target), *extra], env, work, timeout
    )
    init.wrote = sorted(_files(copy) - before)
    shutil.rmtree(copy, ignore_errors=True)
    return inspect, init, (source / entry.subpath if entry.subpath not in ("", ".") else source)


def _describe_src(src: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(src), "log", "-1", "--format=%h %cs %s"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return out or str(src)
    except (subprocess.CalledProcessError, OSError):
        return str(src)


def sweep(args: argparse.Namespace) -> dict[str, object]:
    corpus = Path(args.corpus).resolve()
    src = Path(args.kubenative_src).resolve()
    entries = read_projects(Path(args.projects))
    blocked = refused(entries, held_out(Path(args.held_out)))
    if blocked:
        raise SweepError(
            "held-out repositories in the project list (never fetch, read or sweep them): "
            + ", ".join(e.repo for e in blocked)
        )
    if args.only:
        entries = [e for e in entries if any(o in e.name for o in args.only)]
    tags = TagData.load(node_path=Path(args.node_tags))
    table = otp_table([src / "kubenative" / "data" / "elixir_otp.json"])
    subjects: list[tuple[Entry, checks.Subject, float]] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kubenative-sweep-") as tmp:
        work = Path(tmp)
        for entry in entries:
            if not (corpus / entry.dir).is_dir():
                print(f"sweep: {entry.name}: not in {corpus}, skipped", file=sys.stderr)
                continue
            t0 = time.monotonic()
            inspect, init, path = run_project(entry, corpus, src, args.timeout, work)
            try:
                data = json.loads(inspect.stdout) if inspect.rc == 0 else None
            except ValueError:
                data = None
            subject = checks.Subject(
                entry.name,
                Project(path),
                inspect,
                init,
                data if isinstance(data, dict) else None,
                split_dry_run(init.stdout) if init.rc == 0 else {},
                tags,
                table,
            )
            subjects.append((entry, subject, time.monotonic() - t0))
            print(f"sweep: {entry.name}: inspect {inspect.rc} init {init.rc}", file=sys.stderr)
    refs = sorted(
        {ref for _, s, _ in subjects if s.dockerfile for ref, _, _ in image_refs(s.dockerfile)}
    )
    probe = catalog.ask(str(src), refs)
    raw_answers = probe.get("answers")
    answers: dict[str, bool | None] = raw_answers if isinstance(raw_answers, dict) else {}
    results = []
    totals: dict[str, Counter[str]] = {key: Counter() for key in checks.NAMES}
    for entry, subject, seconds in subjects:
        subject.catalog = dict(answers)
        t0 = time.monotonic()
        verdicts = checks.run_all(subject)
        seconds += time.monotonic() - t0
        for key, verdict in verdicts.items():
            totals[key][verdict.status] += 1
        chosen = checks.chosen_versions(subject)
        results.append(
            {
                "name": entry.name,
                "repo": entry.repo,
                "commit": entry.commit,
                "subpath": entry.subpath,
                "tags": entry.tags,
                "seconds": round(seconds, 2),
                "inspect": {"rc": subject.inspect.rc, "seconds": round(subject.inspect.seconds, 2)},
                "init": {"rc": subject.init.rc, "seconds": round(subject.init.seconds, 2)},
                "chosen": chosen,
                "verdicts": {k: _short(v.to_json()) for k, v in verdicts.items()},
            }
        )
    return {
        "kubenative": args.label or _describe_src(src),
        "date": datetime.date.today().isoformat(),
        "catalog": {k: v for k, v in probe.items() if k != "answers"},
        "seconds": round(time.monotonic() - started, 1),
        "invariants": checks.NAMES,
        "totals": {k: dict(sorted(v.items())) for k, v in totals.items()},
        "projects": results,
    }


def _short(verdict: dict[str, object]) -> dict[str, object]:
    findings = verdict.get("findings") or []
    assert isinstance(findings, list)
    return {**verdict, "findings": [str(f)[:400] for f in findings[:20]]}


_MARK = {
    "pass": "ok",
    "violation": "**X**",
    "refused": "ref",
    "failed": "fail",
    "unknown": "?",
    "n/a": "-",
    "error": "ERR",
}


def markdown(data: dict[str, object]) -> str:
    names = data["invariants"]
    assert isinstance(names, dict)
    keys = list(names)
    lines = [
        f"# Corpus sweep: kubenative {data['kubenative']} ({data['date']})",
        "",
        f"{len(data['projects'])} projects in {data['seconds']} s. "  # type: ignore[arg-type]
        "Marks: ok pass, **X** violation, ref inspect refused, fail init refused (one clear line), "
        "? undecided, - not applicable.",
        "",
        "| invariant | " + " | ".join(f"{k} {names[k]}" for k in keys) + " |",
        "|---|" + "---|" * len(keys),
    ]
    totals = data["totals"]
    assert isinstance(totals, dict)
    for status in ("violation", "refused", "failed", "unknown", "pass", "n/a", "error"):
        row = [str(totals[k].get(status, 0)) for k in keys]
        if any(cell != "0" for cell in row):
            lines.append(f"| {status} | " + " | ".join(row) + " |")
    lines += ["", "| project | " + " | ".join(keys) + " |", "|---|" + "---|" * len(keys)]
    projects = data["projects"]
    assert isinstance(projects, list)
    for item in projects:
        marks = [_MARK.get(item["verdicts"][k]["status"], "?") for k in keys]
        lines.append(f"| {item['name']} | " + " | ".join(marks) + " |")
    lines += ["", "## Findings", ""]
    for item in projects:
        rows = [
            f"  - {k} {names[k]} ({v['status']}): {f}"
            for k, v in item["verdicts"].items()
            if v["status"] in ("violation", "refused", "failed", "error", "unknown")
            for f in v["findings"]
        ]
        if rows:
            lines.append(f"- **{item['name']}**")
            lines.extend(rows)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", help="folder of checked-out projects (<owner>+<name>/)")
    parser.add_argument("--projects", default=str(PROJECTS), help="the project list (TSV)")
    parser.add_argument("--kubenative-src", default=str(ROOT / "src"), help="the src/ to measure")
    parser.add_argument("--label", help="name of the measured kubenative (default: its git log)")
    parser.add_argument("--json", help="write the full results here")
    parser.add_argument("--md", help="write a markdown table here")
    parser.add_argument("--only", action="append", help="only projects whose name contains this")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per command")
    parser.add_argument("--held-out", default=str(HELD_OUT), help="repositories never to sweep")
    parser.add_argument("--node-tags", default="/work/shared/data/node-image-tags.json")
    args = parser.parse_args(argv)
    try:
        data = sweep(args)
    except SweepError as err:
        print(f"sweep: error: {err}", file=sys.stderr)
        return 1
    text = json.dumps(data, indent=1)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    if args.md:
        Path(args.md).write_text(markdown(data), encoding="utf-8")
    totals = data["totals"]
    assert isinstance(totals, dict)
    for key, counts in totals.items():
        print(f"{key} {checks.NAMES[key]:11} " + ", ".join(f"{s} {n}" for s, n in counts.items()))
    print(f"{len(data['projects'])} projects in {data['seconds']} s")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
