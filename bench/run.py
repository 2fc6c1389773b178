"""Benchmark kubenative's Dockerfiles against the phx.gen.release layout and a naive one.

Run from the repository root: `.venv/bin/python bench/run.py` (see docs/benchmarks.md).
For each fixture and each Dockerfile: a cold build (`--no-cache`; the engine's build cache is
never pruned), rebuilds after a code-only, an assets-only and a runtime.exs change, and the
runtime image's size next to the release it carries.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import table  # noqa: E402
from bench.measure import BenchError, Docker, image_sizes  # noqa: E402

BASELINES = ROOT / "bench" / "baselines"
ENV_FILE = ROOT / "tests" / "e2e" / "env" / ".state" / "env"
ATTEMPTS = 5  # builds of one rebuild scenario at most (the shared cache may be pruned under it)
SKIP = shutil.ignore_patterns("_build", "deps", "node_modules", ".elixir_ls")


@dataclass(frozen=True)
class Fixture:
    name: str
    source: Path
    release: str
    code_file: str
    phx_baseline: str
    assets_dir: str | None = None  # an npm pipeline's folder

    @property
    def changes(self) -> list[tuple[str, str, Callable[[str], str]]]:
        """(scenario, file, how a unique marker edits it)."""
        found = [("code", self.code_file, lambda m: f"\n# bench edit {m}\n")]
        if self.assets_dir:
            found.append(
                (
                    "assets",
                    f"{self.assets_dir}/js/app.js",
                    lambda m: f'\nglobalThis.knBench = "{m}";\n',
                )
            )
        found.append(("runtime_config", "config/runtime.exs", lambda m: f"\n# bench edit {m}\n"))
        return found


FIXTURES = (
    Fixture(
        "umbrella",
        ROOT / "examples" / "kube_native",
        "kube_native",
        "apps/kube_native/lib/kube_native.ex",
        "phx_gen_release.umbrella.Dockerfile",
        "apps/kube_native_web/assets",
    ),
    Fixture(
        "otp_service",
        ROOT / "tests" / "e2e" / "fixtures" / "otp_service",
        "otp_service",
        "lib/otp_service.ex",
        "phx_gen_release.single.Dockerfile",
    ),
    # Reads files beyond lib/ (a root VERSION from mix.exs, generated/lib, @external_resource
    # files, a config helper, a committed prod.secret.exs, a data file at boot): what the copies
    # kubenative derives from the code cost in a code-only rebuild. The phx.gen.release layout
    # copies a fixed list and fails on it at `mix deps.get` (mix.exs reads VERSION).
    Fixture(
        "reads_service",
        ROOT / "tests" / "e2e" / "fixtures" / "reads_service",
        "reads_service",
        "lib/reads_service.ex",
        "phx_gen_release.single.Dockerfile",
    ),
    # Tailwind (npm) whose content globs read lib/: kubenative copies lib/ into the frontend
    # stage, so a code change reruns the Node build there, beside `mix compile`; the
    # phx.gen.release layout runs it in the builder after `mix compile` (Node in the builder).
    Fixture(
        "assets_site",
        ROOT / "tests" / "e2e" / "fixtures" / "assets_site",
        "assets_site",
        "lib/assets_site.ex",
        "phx_gen_release.assets.Dockerfile",
        "assets",
    ),
)
VARIANTS = ("kubenative-slim", "kubenative-minimal", "phx.gen.release", "naive")


def read_env(path: Path) -> dict[str, str]:
    env: dict[str, str] = {}
    for line in path.read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.startswith("#"):
            env[key.strip()] = value.strip()
    return env


RELEASES = ("bookworm", "trixie")


def release_env(env: dict[str, str], release: str) -> dict[str, str]:
    """The env file with ``release``'s stand-ins as KN_BUILDER_IMAGE, KN_NODE_IMAGE and
    KN_RUNTIME_IMAGE (setup.sh writes them as KN_<RELEASE>_..., and the host's release also
    unprefixed), and KN_OS_RELEASE."""
    prefix = f"KN_{release.upper()}_"
    chosen = dict(env)
    for key, value in env.items():
        if key.startswith(prefix):
            chosen["KN_" + key.removeprefix(prefix)] = value
    if f"{prefix}BUILDER_IMAGE" not in env and env.get("KN_DEBIAN_CODENAME") != release:
        raise BenchError(f"the e2e environment has no {release} stand-ins; run setup.sh")
    chosen["KN_OS_RELEASE"] = release
    return chosen


def prepare(fixture: Fixture, variant: str, where: Path, env: dict[str, str]) -> dict[str, str]:
    """Copy the fixture to `where` and put the variant's Dockerfile in it; its build args."""
    shutil.copytree(fixture.source, where, ignore=SKIP)
    for generated in ("Dockerfile", ".dockerignore", ".kubenative.toml"):
        (where / generated).unlink(missing_ok=True)
    if variant.startswith("kubenative-"):
        init = subprocess.run(
            [
                *(sys.executable, "-m", "kubenative", "init", str(where), "--force"),
                *("--builder-image", env["KN_BUILDER_IMAGE"]),
                *("--node-image", env["KN_NODE_IMAGE"]),
                *("--runtime-image", env["KN_RUNTIME_IMAGE"]),
                *("--os-release", env["KN_OS_RELEASE"]),
                *("--runtime", variant.removeprefix("kubenative-")),
            ],
            capture_output=True,
            text=True,
        )
        if init.returncode != 0:
            raise BenchError(f"kubenative init: {init.stderr.strip()[-500:]}")
        return {}
    if variant == "phx.gen.release":
        shutil.copy(BASELINES / fixture.phx_baseline, where / "Dockerfile")
        shutil.copy(BASELINES / "phx_gen_release.dockerignore", where / ".dockerignore")
        return {"BUILDER_IMAGE": env["KN_BUILDER_IMAGE"], "RUNNER_IMAGE": env["KN_RUNTIME_IMAGE"]}
    shutil.copy(BASELINES / "naive.Dockerfile", where / "Dockerfile")
    return {
        "BUILDER_IMAGE": env["KN_BUILDER_IMAGE"],
        "ASSETS": fixture.assets_dir or "",
        "RELEASE": fixture.release,
    }


def release_bytes(docker: Docker, context: Path, fixture: Fixture, tag: str) -> int:
    """Bytes of the regular files of the release, from kubenative's (cached) releaser stage."""
    docker.run("build", "--target", "releaser", "-t", tag, str(context))
    listing = docker.run(
        "run", "--rm", "--entrypoint", "find", tag,
        f"/app/_build/prod/rel/{fixture.release}", "-type", "f", "-printf", "%s\\n",
    )  # fmt: skip
    docker.run("rmi", "-f", tag)
    return table.parse_sizes(listing)


def bench_variant(
    docker: Docker,
    fixture: Fixture,
    name: str,
    work: Path,
    env: dict[str, str],
    log: Path,
    repeat: int,
) -> tuple[table.Variant, Path]:
    """Cold build, the rebuilds (each `repeat` times, the fastest kept: other work on the
    engine only ever slows a build down) and the sizes of one Dockerfile on one fixture."""
    result = table.Variant(name)
    where = work / f"{fixture.name}-{name}" / fixture.name
    args = prepare(fixture, name, where, env)
    tag = f"kn-bench/{fixture.name}-{name.replace('.', '-')}:{uuid.uuid4().hex[:8]}"
    try:
        result.cold, text = docker.build(where, tag, args, cold=True)
        result.cached["cold"] = "{}/{}".format(*table.cached_steps(text))
        say(f"  {name}: cold {result.cold:.1f}s")
        (log / f"{fixture.name}-{name}-cold.log").write_text(text)
        for scenario, path, edit in fixture.changes:
            kept: list[tuple[float, str]] = []
            for attempt in range(1, ATTEMPTS + 1):
                with (where / path).open("a") as handle:
                    handle.write(edit(f"{name} {scenario} {uuid.uuid4().hex}"))
                spent, text = docker.build(where, tag, args)
                cached, total = table.cached_steps(text)
                say(f"  {name}: {scenario} {spent:.1f}s ({cached}/{total} cached)")
                (log / f"{fixture.name}-{name}-{scenario}-{attempt}.log").write_text(text)
                if table.cache_was_lost(text):
                    # Someone pruned the shared build cache: this build warmed it again
                    say(f"  {name}: the build cache was lost under this rebuild; measuring again")
                    continue
                kept.append((spent, f"{cached}/{total}"))
                if len(kept) == repeat:
                    break
            if not kept:
                raise BenchError(f"{scenario}: the build cache was lost {ATTEMPTS} times")
            result.rebuilds[scenario], result.cached[scenario] = min(kept)
            result.samples[scenario] = [round(spent, 2) for spent, _ in kept]
        result.inspect_size = docker.inspect_size(tag)
        sizes = image_sizes(tag)
        result.image_bytes = sizes["flattened_bytes"]
        result.image_gzip_bytes = sizes["compressed_bytes"]
    except BenchError as error:
        failed = log / f"{fixture.name}-{name}-error.log"
        failed.write_text(str(error))
        result.error = f"see {failed.name}"
        say(f"  {name}: FAILED ({failed})")
    finally:
        if os.environ.get("KN_BENCH_KEEP") != "1":
            docker.run("rmi", "-f", tag, timeout=300)
    return result, where


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def machine(docker: Docker) -> dict[str, str]:
    def read(path: str) -> str:
        try:
            return Path(path).read_text()
        except OSError:
            return ""

    memory = table.mem_total(read("/proc/meminfo"))
    versions = docker.run("version", "--format", "{{.Client.Version}} / {{.Server.Version}}")
    buildx = docker.run("buildx", "version").split()
    return {
        "host": socket.gethostname(),
        "cpu": f"{os.cpu_count()} cores (nproc), {table.cpu_model(read('/proc/cpuinfo'))}",
        "memory": "unknown" if memory is None else f"{memory / 2**30:.1f} GiB",
        "os": platform.platform(),
        "docker (client / server)": versions.strip(),
        "buildx": buildx[1] if len(buildx) > 1 else "unknown",
        "date (UTC)": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M"),
    }


def stand_ins(env: dict[str, str], release: str) -> str:
    """``Debian bookworm: Elixir 1.14.0, OTP 25, Node 18.20.4``: what the builds ran on."""
    return (
        f"Debian {release}: Elixir {env.get('KN_ELIXIR_VERSION', '?')}, "
        f"OTP {env.get('KN_OTP_VERSION', '?')}, Node {env.get('KN_NODE_VERSION', '?')}"
    )


def write(base: Path, results: list[table.Fixture], facts: dict[str, str], command: str) -> str:
    """Write the markdown and JSON results next to each other; the markdown."""
    markdown = table.report(results, facts, command)
    base.with_suffix(".md").write_text(markdown)
    base.with_suffix(".json").write_text(
        json.dumps(table.to_json(results, facts, command), indent=2) + "\n"
    )
    return markdown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--fixture", action="append", choices=[f.name for f in FIXTURES])
    parser.add_argument("--variant", action="append", choices=VARIANTS)
    parser.add_argument("--env-file", type=Path, default=ENV_FILE)
    parser.add_argument(
        "--release",
        choices=RELEASES,
        default=RELEASES[0],
        help="the Debian release whose stand-in images to build on (default: %(default)s)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument(
        "--repeat", type=int, default=2, help="measure each rebuild N times, keep the fastest"
    )
    parser.add_argument(
        "--docs", type=Path, help="also put the results in this markdown file, between markers"
    )
    opts = parser.parse_args(argv)
    env = release_env(read_env(opts.env_file), opts.release)
    docker = Docker(env.get("KN_DOCKER", "docker"))
    command = "bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    facts = machine(docker)
    facts["stand-ins"] = stand_ins(env, opts.release)
    results: list[table.Fixture] = []
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d")
    opts.out.mkdir(parents=True, exist_ok=True)
    base = opts.out / f"{stamp}-{facts['host']}-{opts.release}"
    logs = Path(tempfile.mkdtemp(prefix=f"kn-bench-logs-{stamp}-"))
    say(f"build logs in {logs}")
    with tempfile.TemporaryDirectory(prefix="kn-bench-") as tmp:
        for fixture in FIXTURES:
            if opts.fixture and fixture.name not in opts.fixture:
                continue
            say(f"{fixture.name}:")
            found = table.Fixture(fixture.name)
            results.append(found)
            for name in VARIANTS:
                if opts.variant and name not in opts.variant:
                    continue
                variant, where = bench_variant(
                    docker, fixture, name, Path(tmp), env, logs, opts.repeat
                )
                found.variants.append(variant)
                if name == "kubenative-slim" and variant.error is None:
                    tag = f"kn-bench/releaser:{uuid.uuid4().hex[:8]}"
                    found.release_bytes = release_bytes(docker, where, fixture, tag)
                write(base, results, facts, command.strip())  # partial results survive a crash
    markdown = write(base, results, facts, command.strip())
    print(markdown)
    say(f"wrote {base}.md and {base}.json")
    if opts.docs is not None:
        block = "" if opts.release == RELEASES[0] else opts.release
        opts.docs.write_text(table.replace_results(opts.docs.read_text(), markdown, block))
        say(f"updated {opts.docs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
