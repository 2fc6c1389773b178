"""The benchmark's pure helpers: the targets, the markdown table, parsing machine facts."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench import emulated, table
from bench.measure import BenchError
from bench.run import read_env, release_env

MB = table.MB


def _fixture() -> table.Fixture:
    return table.Fixture(
        "umbrella",
        release_bytes=40 * MB,
        variants=[
            table.Variant(
                "kubenative-slim",
                cold=100.0,
                rebuilds={"code": 15.0, "assets": 12.0, "runtime_config": 9.0},
                image_bytes=120 * MB,
                image_gzip_bytes=50 * MB,
            ),
            table.Variant(
                "kubenative-minimal",
                cold=110.0,
                rebuilds={"code": 30.0},
                image_bytes=52 * MB,
                image_gzip_bytes=20 * MB,
            ),
            table.Variant("naive", error="docker build exited 1"),
        ],
    )


def test_overhead_and_ratio() -> None:
    slim = _fixture().variants[0]
    assert slim.overhead(40 * MB) == 80 * MB
    assert slim.overhead(None) is None
    assert slim.code_ratio() == 0.15
    assert table.Variant("x", cold=0.0, rebuilds={"code": 1.0}).code_ratio() is None


def test_targets_are_judged_per_fixture() -> None:
    found = {t.label: t for t in table.targets([_fixture()])}
    overhead = found["umbrella: `minimal` overhead over the release ≤ 13.0 MB"]
    assert (overhead.measured, overhead.met) == ("12.0 MB", True)
    assert found["umbrella: kubenative-slim code-only rebuild ≤ 20% of cold"].met is True
    assert found["umbrella: kubenative-minimal code-only rebuild ≤ 20% of cold"].met is False


def test_targets_not_measured_without_a_minimal_image() -> None:
    fixture = table.Fixture("f", release_bytes=None, variants=[table.Variant("kubenative-slim")])
    verdicts = [t.met for t in table.targets([fixture])]
    assert verdicts == [None, None, None]


def test_table_has_a_row_per_dockerfile_and_dashes_for_the_missing() -> None:
    lines = table.fixture_table(_fixture()).splitlines()
    assert lines[0].startswith("| Dockerfile | cold (s) | code (s) | assets (s) | runtime.exs (s)")
    assert lines[2] == "| kubenative-slim | 100.0 | 15.0 | 12.0 | 9.0 | 15% | 120.0 | 50.0 | 80.0 |"
    assert lines[3] == "| kubenative-minimal | 110.0 | 30.0 | — | — | 27% | 52.0 | 20.0 | 12.0 |"
    assert lines[4].startswith("| naive | failed: docker build exited 1 |")
    assert {line.count("|") for line in lines} == {10}


def test_report_names_the_command_the_machine_and_the_verdicts() -> None:
    text = table.report([_fixture()], {"cpu": "2 cores"}, "bench/run.py")
    assert "Command: `bench/run.py`" in text
    assert "- cpu: 2 cores" in text
    assert "### umbrella (release: 40.0 MB)" in text
    assert "— NOT met" in text
    data = table.to_json([_fixture()], {}, "bench/run.py")
    assert data["fixtures"][0]["overheads"]["kubenative-minimal"] == 12 * MB


def test_machine_facts_and_sizes_parse() -> None:
    assert table.mem_total("MemFree: 1 kB\nMemTotal:  2048 kB\n") == 2 * 1024 * 1024
    assert table.mem_total("") is None
    assert table.cpu_model("processor\t: 0\nmodel name\t: Some CPU @ 2GHz\n") == "Some CPU @ 2GHz"
    assert table.parse_sizes("10\n20\n\nnot a size\n5\n") == 35


def test_env_file_is_read_without_comments(tmp_path: Path) -> None:
    env = tmp_path / "env"
    env.write_text("# header\nKN_BUILDER_IMAGE=b:1\n\nKN_NODE_IMAGE = n:2\n")
    assert read_env(env) == {"KN_BUILDER_IMAGE": "b:1", "KN_NODE_IMAGE": "n:2"}


def test_a_release_picks_its_stand_ins() -> None:
    env = {
        "KN_DEBIAN_CODENAME": "bookworm",
        "KN_BUILDER_IMAGE": "b:bookworm",
        "KN_TRIXIE_BUILDER_IMAGE": "b:trixie",
        "KN_TRIXIE_ELIXIR_VERSION": "1.18.3",
    }
    trixie = release_env(env, "trixie")
    assert trixie["KN_BUILDER_IMAGE"] == "b:trixie"
    assert (trixie["KN_ELIXIR_VERSION"], trixie["KN_OS_RELEASE"]) == ("1.18.3", "trixie")
    assert release_env(env, "bookworm")["KN_BUILDER_IMAGE"] == "b:bookworm"


def test_cached_steps_counts_named_steps_only() -> None:
    log = "\n".join(
        [
            "#1 [internal] load build definition from Dockerfile",
            "#1 DONE 0.0s",
            "#5 [deps 1/4] COPY mix.exs mix.lock ./",
            "#5 CACHED",
            "#6 [2/5] RUN mix compile",
            "#6 0.3 Compiling 3 files (.ex)",
            "#6 DONE 4.0s",
            "#6 [2/5] RUN mix compile",
        ]
    )
    assert table.cached_steps(log) == (1, 2)


def test_results_replace_the_marked_block_or_are_appended() -> None:
    doc = f"# B\n\n{table.RESULTS_BEGIN}\nold\n{table.RESULTS_END}\ntail\n"
    assert table.replace_results(doc, "new\n") == (
        f"# B\n\n{table.RESULTS_BEGIN}\nnew\n{table.RESULTS_END}\ntail\n"
    )
    assert table.replace_results("# B\n", "new") == (
        f"# B\n\n{table.RESULTS_BEGIN}\nnew\n{table.RESULTS_END}\n"
    )
    named = table.replace_results(doc, "trixie", "trixie")
    assert named.startswith(doc.rstrip())  # the unnamed block is left alone
    assert named.endswith("<!-- bench:results:trixie -->\ntrixie\n<!-- /bench:results:trixie -->\n")


def test_a_rebuild_that_reused_no_run_step_lost_its_cache() -> None:
    kept = "#8 [deps 2/4] RUN mix deps.get --only prod\n#8 CACHED\n#9 [deps 3/4] RUN mix compile\n"
    lost = "#2 [builder 1/2] FROM elixir\n#2 CACHED\n#8 [deps 2/4] RUN mix deps.get --only prod\n"
    assert not table.cache_was_lost(kept)
    assert table.cache_was_lost(lost)
    assert table.cached_steps(lost, "RUN ") == (0, 1)
    assert not table.cache_was_lost("#2 [1/1] FROM scratch\n")


def test_emulated_frontend_variant_and_its_report() -> None:
    dockerfile = "FROM x AS deps\n" + emulated.BUILD_PLATFORM_LINE + "\nRUN npm ci\n"
    assert emulated.emulated_dockerfile(dockerfile) == (
        "FROM x AS deps\nFROM ${NODE_IMAGE} AS frontend\nRUN npm ci\n"
    )
    with pytest.raises(BenchError):
        emulated.emulated_dockerfile("FROM x AS deps\n")
    env = {
        f"KN_{k}_IMAGE{s}": f"{k}{s}"
        for k in ("BUILDER", "NODE", "RUNTIME")
        for s in ("", "_REMOTE")
    }
    assert emulated.remote_images(env)["KN_NODE_IMAGE"] == "NODE_REMOTE"
    text = emulated.report(
        {
            "umbrella": [
                emulated.Build(emulated.VARIANTS[0], 300.0, {"frontend": 20.0, "deps": 90.0}),
                emulated.Build(emulated.VARIANTS[1], 400.0, {"frontend": 120.0, "deps": 90.0}),
            ]
        },
        "linux/arm64",
        {"cpu": "2 cores"},
        "bench/emulated.py",
    )
    assert "| frontend on the build platform | 300.0 | 20.0 | 90.0 | 0.0 |" in text
    assert (
        "Saved by the build-platform frontend: 100.0s (25% of the emulated-frontend build)." in text
    )
