"""Does `MIX_OS_DEPS_COMPILE_PARTITION_COUNT` (Elixir >= 1.18) speed up the deps stage?

Run from the repository root: `.venv/bin/python bench/partitions.py --release trixie`
(see docs/benchmarks.md). It writes a project with several independent path dependencies (no
Hex: nothing can be fetched here), then in the release's stand-in builder image times
`mix deps.compile` (MIX_ENV=prod, from a clean _build) with the variable unset and set to each
given count, alternating, several rounds. Only the `mix deps.compile` command is timed (inside
the container), not the container's start.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.measure import Docker  # noqa: E402
from bench.run import ENV_FILE, RELEASES, read_env, release_env  # noqa: E402

TIMED = (
    "cp -r /src /work && cd /work && s=$(date +%s.%N) && "
    "{ mix deps.compile >/tmp/log 2>&1 || { cat /tmp/log; exit 1; }; } && e=$(date +%s.%N) && "
    'awk -v s="$s" -v e="$e" \'BEGIN { print "seconds=" e - s }\' && '
    "ls -d _build/prod/lib/*/ebin | wc -l | sed 's/^/deps=/' && "
    # Mix >= 1.19 says "mix deps.compile running across N OS processes" when it partitions
    "echo partitioned=$(grep -c 'running across' /tmp/log)"
)


def write_project(root: Path, deps: int, modules: int) -> None:
    """A project depending on ``deps`` path dependencies of ``modules`` modules each."""
    names = [f"dep_{i}" for i in range(deps)]
    listed = ", ".join(f'{{:{name}, path: "vendor/{name}"}}' for name in names)
    (root / "mix.exs").write_text(
        "defmodule Host.MixProject do\n  use Mix.Project\n\n"
        '  def project, do: [app: :host, version: "0.1.0", deps: deps()]\n'
        f"  defp deps, do: [{listed}]\nend\n"
    )
    for name in names:
        folder = root / "vendor" / name
        (folder / "lib").mkdir(parents=True)
        module = "".join(part.capitalize() for part in name.split("_"))
        (folder / "mix.exs").write_text(
            f"defmodule {module}.MixProject do\n  use Mix.Project\n\n"
            f'  def project, do: [app: :{name}, version: "0.1.0", deps: []]\nend\n'
        )
        for m in range(modules):
            (folder / "lib" / f"m{m}.ex").write_text(
                f"defmodule {module}.M{m} do\n"
                "  @moduledoc false\n"
                "  for k <- 1..120 do\n"
                "    def f(unquote(k)), do: unquote(k) * 2\n"
                '    def g(unquote("k#{k}")), do: unquote(k)\n'
                "  end\n"
                "  def h(list) when is_list(list), do: Enum.map(list, &f/1)\n"
                "  def s(text) when is_binary(text), do: text |> String.split() |> length()\n"
                "end\n"
            )


def measure(
    docker: Docker, image: str, project: Path, count: int | None
) -> tuple[float, int, bool]:
    env = ["-e", "MIX_ENV=prod"]
    if count is not None:
        env += ["-e", f"MIX_OS_DEPS_COMPILE_PARTITION_COUNT={count}"]
    out = docker.run(
        "run", "--rm", "--network=none", *env, "-v", f"{project}:/src:ro", image, "sh", "-c", TIMED
    )
    values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    return float(values["seconds"]), int(values["deps"]), values["partitioned"] != "0"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--release", choices=RELEASES, default="trixie")
    parser.add_argument("--env-file", type=Path, default=ENV_FILE)
    parser.add_argument("--deps", type=int, default=8)
    parser.add_argument("--modules", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--count", type=int, action="append", help="partition counts to try")
    parser.add_argument(
        "--image", help="builder image to measure in (default: the release's stand-in builder)"
    )
    opts = parser.parse_args(argv)
    env = release_env(read_env(opts.env_file), opts.release)
    docker = Docker(env.get("KN_DOCKER", "docker"))
    image = opts.image or env["KN_BUILDER_IMAGE"]
    version = docker.run("run", "--rm", image, "elixir", "-e", "IO.write(System.version())")
    cpus = int(docker.run("run", "--rm", image, "nproc").strip())
    counts: list[int | None] = [None, *(opts.count or [cpus])]
    samples: dict[int | None, list[float]] = {count: [] for count in counts}
    with tempfile.TemporaryDirectory(prefix="kn-partitions-") as tmp:
        project = Path(tmp)
        write_project(project, opts.deps, opts.modules)
        os.chmod(project, 0o755)
        for round_ in range(opts.rounds):
            for count in counts if round_ % 2 == 0 else reversed(counts):
                seconds, compiled, split = measure(docker, image, project, count)
                samples[count].append(seconds)
                label = "unset" if count is None else str(count)
                how = "partitioned" if split else "one process"
                print(f"round {round_ + 1}: count {label}: {seconds:.1f}s ({compiled} deps, {how})")
    print(
        f"\n{image} (Elixir {version.strip()}), {cpus} CPUs seen by the container, "
        f"{opts.deps} path deps x {opts.modules} modules, {opts.rounds} rounds:"
    )
    for count, values in samples.items():
        label = "unset" if count is None else f"{count}"
        print(
            f"  MIX_OS_DEPS_COMPILE_PARTITION_COUNT={label}: min {min(values):.1f}s, "
            f"median {statistics.median(values):.1f}s ({', '.join(f'{v:.1f}' for v in values)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
