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


# The shape of a fresh runner's build with `--cache-from type=registry` (BuildKit 0.13,
# containerd image store; the blob digest is made up): the last deps step is needed by
# `COPY --from=deps`, so BuildKit fetched its layers from the registry cache and printed the
# download and DONE instead of CACHED. No command ran.
BLOB = "sha256:4fe4e1c58b4af82939a918665dd1e7b5b636dd73c710b4bccb530edbb15470d2"
REMOTE = f"""\
#7 [deps 2/3] RUN mix deps.get --only prod
#7 CACHED
#8 [deps 3/3] RUN mix deps.compile
#8 {BLOB} 0B / 1.21MB 0.2s
#8 {BLOB} 1.21MB / 1.21MB 0.3s done
#8 extracting {BLOB}
#8 extracting {BLOB} 0.1s done
#8 DONE 0.4s
#9 [releaser 1/3] COPY apps apps
#9 DONE 0.1s
#10 [releaser 2/3] RUN mix compile
#10 0.512 Compiling 3 files (.ex)
#10 DONE 3.1s
#11 [releaser 3/3] RUN true
#11 DONE 0.2s
"""


def test_a_step_whose_layers_came_from_the_registry_cache_is_pulled_not_ran() -> None:
    steps = {s.instruction: s for s in parse_plain(REMOTE.splitlines())}
    assert steps["RUN mix deps.get --only prod"].outcome == "cached"
    assert steps["RUN mix deps.compile"].outcome == "pulled"
    assert steps["RUN mix deps.compile"].reused
    # A step that printed process output ran; so did a silent one.
    assert steps["RUN mix compile"].outcome == "ran"
    assert steps["RUN true"].outcome == "ran"
    assert steps["COPY apps apps"].outcome == "ran"
    deps, releaser = by_stage(steps.values())["deps"], by_stage(steps.values())["releaser"]
    assert (deps.cached, deps.pulled, deps.ran, deps.total) == (1, 1, 0, 2)
    assert deps.all_cached
    assert deps.summary() == "2/2 steps cached (1 pulled from the registry cache)"
    assert (releaser.cached, releaser.pulled, releaser.ran) == (0, 0, 3)
    assert not releaser.all_cached


def test_process_output_or_an_error_means_the_step_ran_whatever_it_downloaded() -> None:
    blob = "#5 sha256:" + "a" * 64 + " 1.2MB / 1.2MB 0.2s done"
    (printed,) = parse_plain(
        ["#5 [deps 1/1] RUN mix deps.compile", blob, "#5 0.4 ok", "#5 DONE 1s"]
    )
    (failed,) = parse_plain(["#5 [deps 1/1] RUN mix deps.compile", blob, "#5 ERROR: exit 1"])
    assert printed.outcome == "ran"
    assert failed.error and failed.outcome == "ran"


def test_unnamed_stages_are_read_too() -> None:
    (step,) = parse_plain(["#6 [2/5] RUN mix compile", "#6 CACHED"])
    assert (step.stage, step.index, step.outcome) == ("", 2, "cached")
