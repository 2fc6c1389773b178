"""The corpus sweep's own parsing and checks (bench/sweep.py, bench/invariants/), on tiny
hand-written projects and Dockerfiles: no corpus, no kubenative run."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from bench import sweep
from bench.invariants import checks, dockerignore, shell
from bench.invariants import dockerfile as dfm
from bench.invariants.build import Build
from bench.invariants.facts import Project
from bench.invariants.tags import TagData, versions_of
from bench.invariants.versions import matches, otp_supported

OTP_TABLE = {
    "1.7": {"otp": [19, 22]},
    "1.14": {"otp": [23, 25], "from_patch": {"26": "1.14.5"}},
    "1.16": {"otp": [24, 26]},
}
TAGS = TagData(
    {
        "debian_dated": ["bookworm-20240513", "bullseye-20210902"],
        "elixir": ["1.7.4", "1.7.4-slim"],
        "elixir_otp": {"1.7.4": {"default": [21], "slim": [21]}},
        "alpine": ["3.19.1"],
    },
    {
        "versions": {
            "20.11.1": {"variants": ["bookworm", "bookworm-slim"], "slim_debian": "bookworm"},
            "10.15.1": {"variants": ["stretch", "stretch-slim", "alpine"]},
        }
    },
)
BUILDER = "hexpm/elixir:1.16.2-erlang-26.2.5-debian-bookworm-20240513-slim"
MIX_EXS = """\
defmodule App.MixProject do
  use Mix.Project
  def project do
    [app: :app, version: "0.1.0", elixir: "~> 1.14", deps: deps(), aliases: aliases()]
  end
  defp deps, do: [{:phoenix, "~> 1.7"}]
  defp aliases, do: [%s]
end
"""


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")


def _subject(
    root: Path,
    files: dict[str, str],
    dockerfile: str,
    ignore: str = "",
    inspect: dict[str, object] | None = None,
    stderr: str = "",
) -> checks.Subject:
    _write(root, files)
    ok = checks.Run(0, "", stderr, 0.1)
    return checks.Subject(
        "t",
        Project(root),
        ok,
        ok,
        inspect if inspect is not None else {"elixir": "1.16.2", "otp": "26.2.5", "node": None},
        {"Dockerfile": textwrap.dedent(dockerfile), ".dockerignore": ignore},
        TAGS,
        OTP_TABLE,
    )


def _build(s: checks.Subject) -> Build:
    df = s.dockerfile
    assert df is not None
    return Build(df, s.project)


# ---------------------------------------------------------------- Dockerfile and shell
def test_dockerfile_stages_args_heredocs_and_continuations() -> None:
    df = dfm.parse(
        textwrap.dedent(
            """\
            # app: Elixir 1.16.2, OTP 26.2.5, debian bookworm
            ARG BUILDER_IMAGE=hexpm/elixir:1.16.2-erlang-26.2.5-debian-bookworm-20240513-slim
            FROM ${BUILDER_IMAGE} AS builder
            WORKDIR /app
            RUN apt-get update \\
                # a comment inside a continuation
                && apt-get install -y build-essential
            FROM builder AS releaser
            RUN <<'SCRIPT'
            cd assets
            npm run deploy
            SCRIPT
            COPY --from=builder --chown=1000:1000 /app/_build ./
            """
        )
    )
    assert [s.name for s in df.stages] == ["builder", "releaser"]
    assert df.stages[0].base.startswith("hexpm/elixir:1.16.2")
    assert df.stages[1].parent is df.stages[0]
    run = df.stages[0].instructions[1]
    assert "build-essential" in run.args and run.line == 5
    heredoc = df.stages[1].instructions[0]
    assert heredoc.heredocs == ["cd assets\nnpm run deploy"]
    copy = dfm.copies(df.stages[1], df.stages[1].instructions[1])
    assert copy is not None and copy.from_ == "builder" and copy.dest == "/app"
    assert df.header[0].startswith("app: Elixir 1.16.2")


def test_shell_commands_follow_cd_subshells_and_sh_c() -> None:
    found = shell.commands(
        "cd assets && npm ci && (cd .. && mix assets.deploy) ; "
        "command -v yarn >/dev/null || npm i -g yarn && sh -c 'FOO=1 node build.js'",
        "/app",
    )
    assert [(c.program, c.cwd) for c in found] == [
        ("npm", "/app/assets"),
        ("mix", "/app"),
        ("npm", "/app/assets"),
        ("node", "/app/assets"),
    ]


def test_split_dry_run() -> None:
    files = sweep.split_dry_run("==> Dockerfile <==\nFROM x\n==> .dockerignore <==\n_build\n")
    assert files == {"Dockerfile": "FROM x\n", ".dockerignore": "_build\n"}


def test_held_out_projects_are_refused_in_any_case() -> None:
    entry = sweep.Entry("a+b", "Owner/Name", "c", "d", ".", "-", "")
    other = sweep.Entry("c+d", "other/app", "c", "d", ".", "-", "")
    assert sweep.refused([entry, other], {"owner/name"}) == [entry]


# ---------------------------------------------------------------- 2: tools
NODE_STAGE_MIX = f"""\
ARG BUILDER_IMAGE={BUILDER}
ARG NODE_IMAGE=node:20.11.1-bookworm-slim
FROM ${{BUILDER_IMAGE}} AS builder
WORKDIR /app
COPY mix.exs mix.lock ./
RUN mix deps.get --only prod
FROM ${{NODE_IMAGE}} AS frontend
WORKDIR /app/assets
COPY assets/package.json ./
RUN npm ci && npm run deploy
FROM builder AS releaser
COPY lib lib
RUN mix compile && mix release
"""


def test_mix_directly_in_a_node_stage_is_flagged(tmp_path: Path) -> None:
    bad = NODE_STAGE_MIX.replace("npm run deploy", "mix phx.digest")
    s = _subject(tmp_path, {"mix.exs": MIX_EXS % "", "assets/package.json": "{}"}, bad)
    verdict = checks.inv2_tools(s, _build(s))
    assert verdict.status == "violation"
    assert "stage frontend has no Elixir" in verdict.findings[0]


def test_npm_script_that_runs_mix_in_the_node_stage_is_flagged(tmp_path: Path) -> None:
    package = '{"scripts": {"deploy": "cd .. && mix assets.deploy"}}'
    s = _subject(
        tmp_path, {"mix.exs": MIX_EXS % "", "assets/package.json": package}, NODE_STAGE_MIX
    )
    verdict = checks.inv2_tools(s, _build(s))
    assert verdict.status == "violation"
    assert "npm run deploy -> deploy: mix assets.deploy" in verdict.findings[0]


def test_mix_alias_that_runs_npm_in_the_releaser_is_flagged(tmp_path: Path) -> None:
    aliases = '"assets.deploy": ["cmd --cd assets npm run deploy", "phx.digest"]'
    dockerfile = NODE_STAGE_MIX.replace("npm run deploy", "true").replace(
        "mix compile && mix release", "mix compile && mix assets.deploy && mix release"
    )
    s = _subject(tmp_path, {"mix.exs": MIX_EXS % aliases, "assets/package.json": "{}"}, dockerfile)
    verdict = checks.inv2_tools(s, _build(s))
    assert verdict.status == "violation"
    assert "stage releaser has no Node" in verdict.findings[0]
    assert "alias assets.deploy: cmd npm run deploy" in verdict.findings[0]


def test_steps_in_stages_with_their_tools_pass(tmp_path: Path) -> None:
    package = '{"scripts": {"deploy": "webpack --mode production"}}'
    s = _subject(
        tmp_path, {"mix.exs": MIX_EXS % "", "assets/package.json": package}, NODE_STAGE_MIX
    )
    assert checks.inv2_tools(s, _build(s)).status == "pass"


# ---------------------------------------------------------------- 3: paths
RELEASER = f"""\
FROM {BUILDER} AS builder
WORKDIR /app
COPY mix.exs mix.lock ./
RUN mix deps.get --only prod
COPY config/config.exs config/prod.exs config/
RUN mix deps.compile
COPY lib lib
RUN mix compile
RUN mix release
FROM debian:bookworm-20240513-slim AS runtime
COPY --from=builder /app/_build/prod/rel/app ./
"""


def test_in_project_path_dep_must_be_copied_before_deps_get(tmp_path: Path) -> None:
    mix = (MIX_EXS % "").replace(
        '[{:phoenix, "~> 1.7"}]', '[{:dns_cluster, path: "vendor/dns_cluster"}]'
    )
    files = {
        "mix.exs": mix,
        "vendor/dns_cluster/mix.exs": "defmodule D.MixProject do\n use Mix.Project\n"
        "def project, do: [app: :dns_cluster]\nend\n",
        "config/config.exs": "import Config\n",
    }
    s = _subject(tmp_path, files, RELEASER)
    verdict = checks.inv3_paths(s, _build(s))
    assert verdict.status == "violation"
    assert "vendor/dns_cluster/mix.exs is not copied before Dockerfile:4" in verdict.findings[0]
    fixed = RELEASER.replace(
        "COPY mix.exs mix.lock ./", "COPY mix.exs mix.lock ./\nCOPY vendor vendor"
    )
    s = _subject(tmp_path, {}, fixed)
    assert checks.inv3_paths(s, _build(s)).status == "pass"
    # supabase/realtime's forum: a path dependency's tests are never compiled, so a
    # .dockerignore that leaves them out is right (its lib/ must be in, though)
    tests = {
        "vendor/dns_cluster/test/dns_cluster_test.exs": "x\n",
        "vendor/dns_cluster/lib/d.ex": "",
    }
    s = _subject(tmp_path, tests, fixed, ignore="vendor/dns_cluster/test\n")
    assert checks.inv3_paths(s, _build(s)).status == "pass"
    s = _subject(tmp_path, {}, fixed, ignore="vendor/dns_cluster/lib\n")
    verdict = checks.inv3_paths(s, _build(s))
    assert "vendor/dns_cluster/lib/d.ex is excluded by .dockerignore:1" in verdict.findings[0]


def test_config_helper_through_a_pipe_is_folded_and_must_be_copied(tmp_path: Path) -> None:
    files = {
        "mix.exs": MIX_EXS % "",
        "config/config.exs": """\
            import Config
            [__DIR__ | ~w(.. shared helper.exs)] |> Path.join() |> Code.eval_file()
            import_config "#{config_env()}.exs"
            """,
        "config/prod.exs": "import Config\n",
        "shared/helper.exs": "1\n",
    }
    s = _subject(tmp_path, files, RELEASER)
    verdict = checks.inv3_paths(s, _build(s))
    assert verdict.status == "violation"
    assert "config/config.exs:2: config read shared/helper.exs" in verdict.findings[0]


def test_excluded_by_dockerignore_is_not_in_the_image(tmp_path: Path) -> None:
    files = {
        "mix.exs": MIX_EXS % "",
        "config/config.exs": 'import Config\nCode.eval_file("config/helper.exs")\n',
        "config/helper.exs": "1\n",
    }
    dockerfile = RELEASER.replace(
        "COPY config/config.exs config/prod.exs config/", "COPY config config"
    )
    s = _subject(tmp_path, files, dockerfile, ignore="config/helper.exs\n")
    verdict = checks.inv3_paths(s, _build(s))
    assert verdict.status == "violation"
    assert ".dockerignore:1" in verdict.findings[0]


def test_gitignored_folder_read_at_compile_time_needs_a_warning(tmp_path: Path) -> None:
    files = {
        "mix.exs": MIX_EXS % "",
        ".gitignore": "/content/\n",
        "content/post.md": "x\n",
        "lib/blog.ex": 'defmodule Blog do\n  use NimblePublisher, from: "content/**/*.md"\nend\n',
    }
    s = _subject(tmp_path, files, RELEASER)
    verdict = checks.inv3_paths(s, _build(s))
    assert verdict.status == "violation"
    assert "git ignores" in verdict.findings[0]
    warned = _subject(tmp_path, {}, RELEASER, stderr="warning: content/ is gitignored")
    assert checks.inv3_paths(warned, _build(warned)).status == "pass"


def test_distillery_hooks_and_overlays_must_be_copied(tmp_path: Path) -> None:
    files = {
        "mix.exs": MIX_EXS % "",
        "rel/config.exs": """\
            environment :prod do
              set pre_start_hooks: "rel/hooks/pre_start"
              set overlays: [{:copy, "priv/extra/motd", "motd"}]
            end
            """,
        "rel/hooks/pre_start/migrate.sh": "true\n",
        "priv/extra/motd": "hi\n",
    }
    dockerfile = RELEASER.replace(
        "RUN mix release", "COPY rel/config.exs rel/\nRUN mix release --env=prod"
    )
    s = _subject(tmp_path, files, dockerfile)
    verdict = checks.inv3_paths(s, _build(s))
    assert verdict.status == "violation"
    joined = " ".join(verdict.findings)
    assert "rel/hooks/pre_start/migrate.sh" in joined and "priv/extra/motd" in joined


# ---------------------------------------------------------------- 4: tags
def test_tags_partial_unpublished_and_stated() -> None:
    assert TAGS.check(BUILDER, set()).ok is True
    partial = TAGS.check("hexpm/elixir:1.15-erlang-25.0-debian-bookworm-20240513-slim", set())
    assert partial.ok is False and "partial" in partial.reason
    undated = TAGS.check("hexpm/elixir:1.16.2-erlang-26.2.5-debian-bookworm-20240514-slim", set())
    assert undated.ok is False and "never published" in undated.reason
    assert TAGS.check("node:20.11.1-bookworm-slim", set()).ok is True
    assert TAGS.check("node:20.11.1-trixie-slim", set()).ok is False
    assert TAGS.check("node:10.15.1-alpine", set()).ok is True
    assert TAGS.check("elixir:1.7.4-slim", set()).ok is True
    assert TAGS.check("elixir:1.7.9", set()).ok is False
    stated = "hexpm/elixir:1.20.3-erlang-29.0.5-debian-trixie-20990101-slim"
    assert TAGS.check(stated, {stated}).ok is True
    assert versions_of("elixir:1.7.4-slim", TAGS) == {"elixir": "1.7.4", "otp": "21", "node": None}


# ---------------------------------------------------------------- 5: versions
def test_requirements_and_otp_table() -> None:
    assert matches("1.16.2", "~> 1.14") is True
    assert matches("2.0.0", "~> 1.14") is False
    assert matches("1.6.9", "~> 1.6.3") is True and matches("1.7.0", "~> 1.6.3") is False
    assert matches("1.11.4", "1.11.4") is True and matches("1.11.3", "1.11.4") is False
    assert matches("1.8.0", ">= 1.6.0 and < 1.9.0") is True
    assert matches("1.9.0", "~> 1.6 or ~> 2.0") is True
    assert matches("1.9.0", "#{@elixir}") is None
    assert otp_supported("1.14.5", "26.0", OTP_TABLE) is True
    assert otp_supported("1.14.4", "26.0", OTP_TABLE) is False
    assert otp_supported("1.7.4", "21.3", OTP_TABLE) is True


LOCK_DISTILLERY = (
    '%{"distillery": {:hex, :distillery, "2.0.12", "x", [:mix], '
    '[{:artificery, "~> 0.2", [hex: :artificery, repo: "hexpm", optional: false]}], '
    '"hexpm", "y"},\n'
    ' "artificery": {:hex, :artificery, "0.4.2", "x", [:mix], [], "hexpm", "y"}}\n'
)


def test_old_distillery_reached_by_prod_caps_elixir(tmp_path: Path) -> None:
    mix = (
        (MIX_EXS % "")
        .replace('[{:phoenix, "~> 1.7"}]', '[{:distillery, "~> 2.0", runtime: false}]')
        .replace('elixir: "~> 1.14"', 'elixir: "~> 1.6"')
    )
    s = _subject(tmp_path, {"mix.exs": mix, "mix.lock": LOCK_DISTILLERY}, RELEASER)
    verdict = checks.inv5_versions(s)
    assert verdict.status == "violation"
    assert "Distillery 2.0.12" in verdict.findings[0]
    # a leftover lock entry that no dependency reaches is no constraint
    unreached = mix.replace('{:distillery, "~> 2.0", runtime: false}', "")
    s = _subject(tmp_path, {"mix.exs": unreached}, RELEASER)
    assert checks.inv5_versions(s).status == "pass"


# ---------------------------------------------------------------- 6, 7, 8, 9
def test_toolchain_for_a_test_only_nif_in_an_umbrella_app(tmp_path: Path) -> None:
    umbrella = (
        "defmodule U.MixProject do\n use Mix.Project\n"
        'def project, do: [apps_path: "apps", deps: []]\nend\n'
    )
    app = (
        "defmodule A.MixProject do\n use Mix.Project\n"
        'def project, do: [app: :a, deps: [{:bcrypt_elixir, "~> 3.0", only: :test}]]\nend\n'
    )
    lock = (
        '%{"bcrypt_elixir": {:hex, :bcrypt_elixir, "3.0.1", "x", [:make, :mix], '
        '[{:elixir_make, "~> 0.6", [hex: :elixir_make, repo: "hexpm", optional: false]}], '
        '"hexpm", "y"}}\n'
    )
    dockerfile = RELEASER.replace(
        "WORKDIR /app", "WORKDIR /app\nRUN apt-get update && apt-get install -y build-essential"
    )
    files = {"mix.exs": umbrella, "apps/a/mix.exs": app, "mix.lock": lock}
    s = _subject(tmp_path, files, dockerfile)
    verdict = checks.inv6_toolchain(s)
    assert verdict.status == "violation"
    assert "only test/dev deps need one: bcrypt_elixir" in verdict.findings[0]
    prod = app.replace(", only: :test", "")
    s = _subject(tmp_path, {"apps/a/mix.exs": prod}, dockerfile)
    assert checks.inv6_toolchain(s).status == "pass"


def test_one_answer_compares_inspect_header_and_tags(tmp_path: Path) -> None:
    dockerfile = "# app: Elixir 1.16.2, OTP 26.2.5, debian bookworm\n" + RELEASER
    s = _subject(tmp_path, {"mix.exs": MIX_EXS % ""}, dockerfile)
    assert checks.inv7_one_answer(s).status == "pass"
    s = _subject(
        tmp_path, {}, dockerfile, inspect={"elixir": "1.19.5", "otp": "28.1", "node": None}
    )
    verdict = checks.inv7_one_answer(s)
    assert verdict.status == "violation"
    assert "inspect says elixir 1.19.5, the builder tag 1.16.2" in verdict.findings


def test_runtime_copying_source_is_flagged(tmp_path: Path) -> None:
    dockerfile = (
        RELEASER + "COPY lib/app/api.ex lib/app/\nCOPY --from=builder /app/config ./config\n"
    )
    s = _subject(tmp_path, {"mix.exs": MIX_EXS % ""}, dockerfile)
    verdict = checks.inv8_no_source(s)
    assert verdict.status == "violation" and len(verdict.findings) == 2
    s = _subject(tmp_path, {}, RELEASER)
    assert checks.inv8_no_source(s).status == "pass"


@pytest.mark.parametrize(
    ("endpoint", "runtime", "status"),
    [
        ("http: [port: 20080]", "EXPOSE 4000", "violation"),
        ("http: [port: 20080]", "EXPOSE 20080", "pass"),
        (
            'http: [port: String.to_integer(System.get_env("HEXPM_PORT") || "4000")]',
            "ENV PORT=4001\nEXPOSE 4000",
            "violation",
        ),
        (
            'http: [port: String.to_integer(System.get_env("HEXPM_PORT") || "4000")]',
            "EXPOSE 4000",
            "pass",
        ),
        ('http: [port: {:system, "PORT"}]', "ENV PORT=4000\nEXPOSE 4000", "pass"),
    ],
)
def test_listeners(tmp_path: Path, endpoint: str, runtime: str, status: str) -> None:
    """A fixed port exposed as another; PORT set to what no listener gives and nobody reads."""
    files = {
        "mix.exs": MIX_EXS % "",
        "config/config.exs": f"import Config\nconfig :app, AppWeb.Endpoint, {endpoint}\n",
    }
    s = _subject(tmp_path, files, RELEASER + runtime + "\n")
    assert checks.inv9_listeners(s).status == status


def test_listeners_read_a_helper_given_the_port_and_a_one_line_project_function(
    tmp_path: Path,
) -> None:
    # cogini: `https: EndpointConfig.https_opts(env, names, port: ...)`; sequin:
    # `port: ConfigParser.server_port(env_vars)`, a function of one line in lib/
    files = {
        "mix.exs": MIX_EXS % "",
        "config/runtime.exs": (
            "import Config\nalias App.ConfigParser\n"
            "config :app, AppWeb.Endpoint,\n"
            "  http: [port: ConfigParser.server_port(System.get_env())],\n"
            "  https: Helper.opts(System.get_env(), port: String.to_integer("
            'System.get_env("HTTPS_PORT", "4443")))\n'
        ),
        "lib/app/config_parser.ex": (
            "defmodule App.ConfigParser do\n  def server_port(env) do\n"
            '    String.to_integer(Map.get(env, "SERVER_PORT") || "7376")\n  end\nend\n'
        ),
    }
    s = _subject(tmp_path, files, RELEASER + "ENV SERVER_PORT=7376\nEXPOSE 7376 4443\n")
    assert checks.inv9_listeners(s) == checks.Verdict("pass")
    s = _subject(tmp_path, {}, RELEASER + "ENV SERVER_PORT=7376\nEXPOSE 7376 4444\n")
    assert checks.inv9_listeners(s).status == "violation"


def test_a_guessed_port_needs_the_port_warning(tmp_path: Path) -> None:
    # membrane_videoroom's tuple-list config: nothing the sweep can read; the image's 4000 is
    # a guess, which must come with a warning that says --port
    files = {
        "mix.exs": MIX_EXS % "",
        "config/runtime.exs": (
            'import Config\nconfig :app, AppWeb.Endpoint, [{:url, [host: "x"]}, {p, a}]\n'
        ),
    }
    s = _subject(tmp_path, files, RELEASER + "ENV PORT=4000\nEXPOSE 4000\n")
    assert checks.inv9_listeners(s).status == "violation"
    s = _subject(tmp_path, {}, RELEASER + "ENV PORT=4000\nEXPOSE 4000\n", stderr="pass --port")
    assert checks.inv9_listeners(s).status == "unknown"


# ---------------------------------------------------------------- helpers
def test_dockerignore_rules() -> None:
    rules = dockerignore.parse(
        "**/*.secret.exs\npriv/static/*\n!priv/static/css\n/deps\n# comment\n"
    )
    assert dockerignore.excluded_by(rules, "config/prod.secret.exs") is not None
    assert dockerignore.excluded_by(rules, "priv/static/app.js") is not None
    assert dockerignore.excluded_by(rules, "priv/static/css/app.css") is None
    assert dockerignore.excluded_by(rules, "deps/phoenix/mix.exs") is not None
    assert dockerignore.excluded_by(rules, "lib/app.ex") is None


def test_non_http_listener_is_never_port(tmp_path: Path) -> None:
    files = {
        "mix.exs": MIX_EXS % "",
        "config/config.exs": "import Config\nconfig :app, AppWeb.Endpoint, http: [port: 4000]\n",
        "lib/munin.ex": "defmodule Munin do\n  def start, do: :gen_tcp.listen(4950, [])\nend\n",
    }
    s = _subject(tmp_path, files, RELEASER + "ENV PORT=4950\nEXPOSE 4950\n")
    verdict = checks.inv9_listeners(s)
    assert verdict.status == "violation"
    assert "EXPOSE 4950, a non-HTTP listener's port" in verdict.findings[0]
    assert "PORT=4950 is a non-HTTP listener's port" in verdict.findings[1]
    s = _subject(tmp_path, {}, RELEASER + "EXPOSE 4000\n")
    assert checks.inv9_listeners(s).status == "pass"


def test_boot_read_must_reach_the_runtime_stage(tmp_path: Path) -> None:
    files = {
        "mix.exs": MIX_EXS % "",
        "content/about.toml": "x\n",
        "lib/pages.ex": (
            'defmodule Pages do\n  def about, do: File.read!("content/about.toml")\nend\n'
        ),
    }
    s = _subject(tmp_path, files, RELEASER)
    verdict = checks.inv3_paths(s, _build(s))
    assert verdict.status == "violation"
    assert "boot read content/about.toml is not in the runtime image" in verdict.findings[0]
    # copied into the releaser, then from there into the runtime
    via_stage = RELEASER.replace("COPY lib lib", "COPY lib lib\nCOPY content content") + (
        "COPY --from=builder /app/content ./content\n"
    )
    s = _subject(tmp_path, {}, via_stage)
    assert checks.inv3_paths(s, _build(s)).status == "pass"


def test_a_tag_the_project_builds_from_its_own_args_counts_as_published(tmp_path: Path) -> None:
    own = (
        "ARG ELIXIR_VERSION=1.18.4\nARG OTP_VERSION=27.3.4.15\n"
        'ARG BUILDER_IMAGE="hexpm/elixir:${ELIXIR_VERSION}-erlang-${OTP_VERSION}'
        '-debian-bookworm-20990101-slim"\nFROM ${BUILDER_IMAGE} AS builder\n'
    )
    tag = "hexpm/elixir:1.18.4-erlang-27.3.4.15-debian-bookworm-20990101-slim"
    generated = RELEASER.replace(BUILDER, tag)
    s = _subject(tmp_path, {"mix.exs": MIX_EXS % ""}, generated)
    assert checks.inv4_tags(s).status == "violation"  # 20990101: no such Debian build
    (tmp_path / "Dockerfile").write_text(own, encoding="utf-8")
    s.catalog = {tag: False}
    assert checks.inv4_tags(s).status == "pass"


def test_data_read_at_boot_from_lib_is_copied_and_compiled_source_is_warned(
    tmp_path: Path,
) -> None:
    # hits-elixir: lib/template.svg is data (invariant 3 wants it, invariant 8 allows it); a
    # boot read of an .ex is source: never copied (8), and a warning must name it (3)
    files = {
        "mix.exs": MIX_EXS % "",
        "lib/template.svg": "<svg/>\n",
        "lib/app/api.ex": "defmodule App.Api do\nend\n",
        "lib/hits.ex": (
            "defmodule Hits do\n"
            '  def badge, do: File.read!("./lib/template.svg")\n'
            '  def api, do: File.read!("lib/app/api.ex")\n'
            "end\n"
        ),
    }
    s = _subject(tmp_path, files, RELEASER)
    verdict = checks.inv3_paths(s, _build(s))
    assert verdict.findings == [
        "lib/hits.ex:2: boot read lib/template.svg is not in the runtime image",
        "lib/hits.ex:3: boot read lib/app/api.ex is compiled source (lib/app/api.ex); "
        "no warning names it",
    ]
    copied = RELEASER + "COPY lib/template.svg lib/\n"
    warned = "kubenative: warning: lib/hits.ex:3: File.read! reads lib/app/api.ex at boot: ...\n"
    s = _subject(tmp_path, {}, copied, stderr=warned)
    assert checks.inv3_paths(s, _build(s)).status == "pass"
    assert checks.inv8_no_source(s).status == "pass"
    s = _subject(tmp_path, {}, copied + "COPY lib/app/api.ex lib/app/\n", stderr=warned)
    verdict = checks.inv8_no_source(s)
    assert verdict.status == "violation"
    assert "runtime copies lib/app/api.ex (source)" in verdict.findings[0]


def test_an_old_node_gyp_needs_python_2_in_the_stage_that_installs(tmp_path: Path) -> None:
    lock = (
        '{\n  "lockfileVersion": 1,\n  "dependencies": {\n'
        '    "node-gyp": {\n      "version": "3.8.0"\n    },\n'
        '    "node-sass": {\n      "version": "4.14.1"\n    }\n  }\n}\n'
    )
    files = {
        "mix.exs": MIX_EXS % "",
        "assets/package.json": '{"scripts": {"deploy": "webpack"}}',
        "assets/package-lock.json": lock,
    }
    frontend = """\
        FROM node:14.21.3-bullseye-slim AS frontend
        RUN apt-get update && apt-get install -y --no-install-recommends g++ make python3
        WORKDIR /app/assets
        COPY assets/package.json assets/package-lock.json ./
        RUN npm ci
        """
    s = _subject(tmp_path, files, frontend)
    verdict = checks.inv2_tools(s, _build(s))
    assert verdict.findings == [
        "Dockerfile:5: stage frontend installs assets/package-lock.json, whose node-gyp 3.8.0 "
        "runs only Python 2, and installs no Python 2"
    ]
    s = _subject(tmp_path, {}, frontend.replace("make python3", "make python2 python3"))
    assert checks.inv2_tools(s, _build(s)).status == "pass"
    newer = lock.replace("3.8.0", "5.0.5").replace("4.14.1", "5.0.0")
    s = _subject(tmp_path, {"assets/package-lock.json": newer}, frontend)
    assert checks.inv2_tools(s, _build(s)).status == "pass"


def test_boot_config_is_never_said_to_be_read_at_build(tmp_path: Path) -> None:
    # mbta/dotcom: a glob over config/ made kubenative call runtime.exs build-time config
    files = {
        "mix.exs": MIX_EXS % "",
        "config/config.exs": 'import Config\nimport_config "#{config_env()}.exs"\n',
        "config/prod.exs": 'import Config\nconfig :app, key: System.get_env("KEY")\n',
        "config/runtime.exs": 'import Config\nconfig :app, key: System.get_env("KEY")\n',
    }
    said = "kubenative: warning: {} reads environment variables while the release is built: KEY\n"
    copied = RELEASER.replace("RUN mix release", "COPY config/runtime.exs config/\nRUN mix release")
    s = _subject(tmp_path, files, copied, stderr=said.format("config/runtime.exs"))
    assert checks.inv3_paths(s, _build(s)).findings == [
        "a warning says config/runtime.exs is read while the release is built, but it is "
        "boot-time config no prod config imports"
    ]
    s = _subject(tmp_path, {}, copied, stderr=said.format("config/prod.exs"))
    assert checks.inv3_paths(s, _build(s)).status == "pass"


def test_a_release_without_erts_needs_erlang_in_the_runtime(tmp_path: Path) -> None:
    # Nebo15/annon.api: no prod environment, `include_erts: false` in the default one
    config = (
        "use Mix.Releases.Config, default_release: :default, default_environment: :default\n"
        "environment :default do\n  set include_erts: false\nend\n"
        "release :app do\n  set version: current_version(:app)\nend\n"
    )
    files = {"mix.exs": MIX_EXS % "", "rel/config.exs": config}
    distillery = RELEASER.replace(
        "RUN mix release", "COPY rel rel\nRUN mix distillery.release --env=default"
    )
    s = _subject(tmp_path, files, distillery)
    assert checks.inv2_tools(s, _build(s)).findings == [
        "stage runtime has no Erlang, and the release carries none "
        "(rel/config.exs:3: include_erts: false)"
    ]
    on_builder = distillery.replace("FROM debian:bookworm-20240513-slim", f"FROM {BUILDER}")
    s = _subject(tmp_path, {}, on_builder)
    assert checks.inv2_tools(s, _build(s)).status == "pass"
    # the template's `environment :dev` is never built when there is a prod one
    dev_only = config.replace(":default do", ":dev do") + "environment :prod do\nend\n"
    s = _subject(tmp_path, {"rel/config.exs": dev_only}, distillery)
    assert checks.inv2_tools(s, _build(s)).status == "pass"


def test_a_port_variable_read_only_as_a_switch_is_never_set(tmp_path: Path) -> None:
    # hexpm/bob: BOB_METRICS_PORT starts a metrics server when set; setting it switches it on
    files = {
        "mix.exs": MIX_EXS % "",
        "config/config.exs": "import Config\nconfig :app, AppWeb.Endpoint, http: [port: 4000]\n",
        "config/runtime.exs": (
            'import Config\nif port = System.get_env("APP_METRICS_PORT") do\n'
            "  config :app, metrics_port: String.to_integer(port)\nend\n"
        ),
    }
    s = _subject(tmp_path, files, RELEASER + "ENV APP_METRICS_PORT=4001\nEXPOSE 4000\n")
    verdict = checks.inv9_listeners(s)
    assert verdict.status == "violation"
    assert verdict.findings[0].startswith(
        "APP_METRICS_PORT=4001 is set, but the project reads APP_METRICS_PORT only to start a "
        "listener when it is set"
    )
    s = _subject(tmp_path, {}, RELEASER + "EXPOSE 4000\n")
    assert checks.inv9_listeners(s).status == "pass"


def test_a_port_with_a_default_in_else_is_no_switch(tmp_path: Path) -> None:
    # an old hexpm/bob: `if port = System.get_env("BOB_PORT") do ... else 4003 end`
    files = {
        "mix.exs": MIX_EXS % "",
        "lib/bob.ex": (
            "defmodule Bob do\n  def start, do: Plug.Cowboy.http(Bob.Router, [], port: port())\n"
            '  defp port do\n    if port = System.get_env("BOB_PORT") do\n'
            "      String.to_integer(port)\n    else\n      4003\n    end\n  end\nend\n"
        ),
    }
    s = _subject(tmp_path, files, RELEASER + "ENV BOB_PORT=4000\nEXPOSE 4000\n")
    assert s.project.port_switches() == {}
