"""Parsing BuildKit's plain progress (recorded from a real build)."""

from __future__ import annotations

from kubenative.docker.progress import by_stage, parse_plain

SAMPLE = """\
#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: 2.01kB done
#1 DONE 0.0s
#4 [builder 1/2] FROM docker.io/kubenative-test/elixir:1.14-otp25-bookworm
#4 DONE 0.0s
#6 [deps 1/5] COPY mix.exs mix.lock ./
#6 CACHED
#7 [deps 2/5] RUN mix deps.get --only prod
#7 CACHED
#9 [frontend 3/5] RUN npm ci --no-audit --no-fund
#9 CACHED
#10 [releaser 1/4] COPY apps apps
#10 DONE 0.1s
#11 [releaser 2/4] RUN mix compile
#11 0.803 Compiling 3 files (.ex)
#11 DONE 4.5s
#12 [releaser 3/4] RUN mix release kube_native
#12 ERROR: process "/bin/sh -c mix release kube_native" did not complete successfully
"""


def test_steps_and_stages() -> None:
    steps = parse_plain(SAMPLE.splitlines())
    assert [(s.stage, s.index) for s in steps] == [
        ("builder", 1),
        ("deps", 1),
        ("deps", 2),
        ("frontend", 3),
        ("releaser", 1),
        ("releaser", 2),
        ("releaser", 3),
    ]
    compile_step = steps[5]
    assert compile_step.instruction == "RUN mix compile"
    assert compile_step.seconds == 4.5 and not compile_step.cached
    assert compile_step.output == ["0.803 Compiling 3 files (.ex)"]
    assert steps[-1].error
    stages = by_stage(steps)
    assert stages["deps"].all_cached and stages["deps"].total == 2
    assert stages["frontend"].all_cached
    assert not stages["releaser"].all_cached
    assert stages["releaser"].seconds == 4.6
    assert "builder" not in stages  # FROM only resolves an image: not a step
