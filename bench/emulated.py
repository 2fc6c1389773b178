"""Benchmark a build for another architecture under QEMU: the frontend on the build platform
(kubenative's Dockerfile, `FROM --platform=$BUILDPLATFORM` for the Node stage) against the same
Dockerfile with the frontend emulated too (the line without `--platform`).

Run from the repository root: `.venv/bin/python bench/emulated.py` (see docs/benchmarks.md).
It needs the e2e environment's multi-platform stand-ins (setup.sh: `KN_<RELEASE>_PLATFORMS`
lists the target platform) and qemu-user-static registered with binfmt_misc. Each build is cold
(`--no-cache`) and builds only the target platform; the wall time and each stage's seconds (the
sum of its steps' times, from BuildKit's plain progress) are kept.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import table  # noqa: E402
from bench.measure import BenchError, Docker  # noqa: E402
from bench.run import (  # noqa: E402
    ENV_FILE,
    FIXTURES,
    RELEASES,
    machine,
    prepare,
    read_env,
    release_env,
    stand_ins,
)
from kubenative.docker.progress import by_stage, parse_plain  # noqa: E402

BUILD_PLATFORM_LINE = "FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS frontend"
EMULATED_LINE = "FROM ${NODE_IMAGE} AS frontend"
VARIANTS = ("frontend on the build platform", "frontend emulated")
# Fixtures with a Node frontend (the only ones where the two Dockerfiles differ)
DEFAULT_FIXTURES = ("umbrella", "assets_site")
BLOCK = "emulated"


@dataclass
class Build:
    variant: str
    seconds: float
    stages: dict[str, float] = field(default_factory=dict)
    error: str | None = None


def emulated_dockerfile(text: str) -> str:
    """kubenative's Dockerfile with the frontend built for the target platform."""
    if BUILD_PLATFORM_LINE not in text:
        raise BenchError("the Dockerfile has no frontend stage on $BUILDPLATFORM")
    return text.replace(BUILD_PLATFORM_LINE, EMULATED_LINE)


def remote_images(env: dict[str, str]) -> dict[str, str]:
    """The env with the registry's multi-platform tags as the images (the local names hold the
    build machine's platform only)."""
    chosen = dict(env)
    for kind in ("BUILDER", "NODE", "RUNTIME"):
        chosen[f"KN_{kind}_IMAGE"] = env[f"KN_{kind}_IMAGE_REMOTE"]
    return chosen


def bench_fixture(
    docker: Docker, fixture_name: str, platform: str, env: dict[str, str], work: Path, logs: Path
) -> list[Build]:
    fixture = next(f for f in FIXTURES if f.name == fixture_name)
    where = work / fixture.name
    prepare(fixture, "kubenative-slim", where, env)
    generated = (where / "Dockerfile").read_text()
    builds = []
    for variant in VARIANTS:
        text = generated if variant == VARIANTS[0] else emulated_dockerfile(generated)
        (where / "Dockerfile").write_text(text)
        tag = f"kn-bench/emulated-{fixture.name}:{uuid.uuid4().hex[:8]}"
        say(f"  {variant}: docker build --platform {platform} --no-cache")
        try:
            seconds, log = docker.build(where, tag, {}, cold=True, platform=platform)
        except BenchError as error:
            failed = logs / f"{fixture.name}-{variant.replace(' ', '-')}-error.log"
            failed.write_text(str(error))
            builds.append(Build(variant, 0.0, error=f"see {failed.name}"))
            say(f"  {variant}: FAILED ({failed})")
            continue
        finally:
            if os.environ.get("KN_BENCH_KEEP") != "1":
                docker.run("rmi", "-f", tag, timeout=300)
        (logs / f"{fixture.name}-{variant.replace(' ', '-')}.log").write_text(log)
        stages = {
            name: report.seconds for name, report in by_stage(parse_plain(log.splitlines())).items()
        }
        builds.append(Build(variant, round(seconds, 1), stages))
        say(f"  {variant}: {seconds:.1f}s (frontend {stages.get('frontend', 0):.1f}s)")
    return builds


def report(
    results: dict[str, list[Build]], platform: str, facts: dict[str, str], command: str
) -> str:
    lines = [f"Command: `{command}`", "", "Machine:"]
    lines += [f"- {key}: {value}" for key, value in facts.items()]
    for name, builds in results.items():
        lines += [
            "",
            f"### {name}: cold build for {platform} under QEMU",
            "",
            "| Dockerfile | build (s) | frontend (s) | deps (s) | releaser (s) |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for b in builds:
            if b.error:
                lines.append(f"| {b.variant} | failed: {b.error} | | | |")
                continue
            cells = [f"{b.stages.get(s, 0.0):.1f}" for s in ("frontend", "deps", "releaser")]
            lines.append(f"| {b.variant} | {b.seconds:.1f} | " + " | ".join(cells) + " |")
        ok = [b for b in builds if not b.error]
        if len(ok) == 2 and ok[1].seconds > 0:
            saved = ok[1].seconds - ok[0].seconds
            share = f"{saved / ok[1].seconds:.0%}"
            lines += [
                "",
                f"Saved by the build-platform frontend: {saved:.1f}s "
                f"({share} of the emulated-frontend build).",
            ]
    return "\n".join(lines) + "\n"


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--fixture", action="append", choices=[f.name for f in FIXTURES])
    parser.add_argument("--platform", default="linux/arm64", help="default: %(default)s")
    parser.add_argument("--release", choices=RELEASES, default=RELEASES[0])
    parser.add_argument("--env-file", type=Path, default=ENV_FILE)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--docs", type=Path, help="also put the results in this markdown file")
    opts = parser.parse_args(argv)
    env = release_env(read_env(opts.env_file), opts.release)
    if opts.platform not in env.get("KN_PLATFORMS", "").split(","):
        raise SystemExit(
            f"the {opts.release} stand-ins have no {opts.platform} image "
            f"(KN_{opts.release.upper()}_PLATFORMS={env.get('KN_PLATFORMS', '')}); run setup.sh"
        )
    env = remote_images(env)
    docker = Docker(env.get("KN_DOCKER", "docker"))
    command = "bench/emulated.py " + " ".join(argv if argv is not None else sys.argv[1:])
    facts = machine(docker)
    build_platform = f"linux/{os.uname().machine.replace('x86_64', 'amd64')}"
    facts["stand-ins"] = f"{stand_ins(env, opts.release)}; build platform {build_platform}"
    logs = Path(tempfile.mkdtemp(prefix="kn-bench-emulated-logs-"))
    say(f"build logs in {logs}")
    results: dict[str, list[Build]] = {}
    with tempfile.TemporaryDirectory(prefix="kn-bench-emulated-") as tmp:
        for name in opts.fixture or DEFAULT_FIXTURES:
            say(f"{name}:")
            results[name] = bench_fixture(docker, name, opts.platform, env, Path(tmp), logs)
    markdown = report(results, opts.platform, facts, command.strip())
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d")
    opts.out.mkdir(parents=True, exist_ok=True)
    base = opts.out / f"{stamp}-{facts['host']}-{opts.release}-emulated"
    base.with_suffix(".md").write_text(markdown)
    data = {n: [b.__dict__ for b in builds] for n, builds in results.items()}
    base.with_suffix(".json").write_text(
        json.dumps({"command": command.strip(), "machine": facts, "results": data}, indent=2) + "\n"
    )
    print(markdown)
    if opts.docs is not None:
        opts.docs.write_text(table.replace_results(opts.docs.read_text(), markdown, BLOCK))
        say(f"updated {opts.docs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
