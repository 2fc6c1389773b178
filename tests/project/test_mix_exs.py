"""Static reading of mix.exs files in the shapes real projects use."""

from __future__ import annotations

import pytest

from kubenative.errors import ParseError
from kubenative.project.mix_exs import Dep, MixProject, ReleaseSpec, parse_mix_exs

PHOENIX_17_APP = """
defmodule Shopfront.MixProject do
  use Mix.Project

  def project do
    [
      app: :shopfront,
      version: "0.1.0",
      elixir: "~> 1.14",
      elixirc_paths: elixirc_paths(Mix.env()),
      start_permanent: Mix.env() == :prod,
      aliases: aliases(),
      deps: deps()
    ]
  end

  # Configuration for the OTP application.
  #
  # Type `mix help compile.app` for more information.
  def application do
    [
      mod: {Shopfront.Application, []},
      extra_applications: [:logger, :runtime_tools]
    ]
  end

  # Specifies which paths to compile per environment.
  defp elixirc_paths(:test), do: ["lib", "test/support"]
  defp elixirc_paths(_), do: ["lib"]

  # Specifies your project dependencies.
  defp deps do
    [
      {:phoenix, "~> 1.7.10"},
      {:phoenix_ecto, "~> 4.4"},
      {:ecto_sql, "~> 3.10"},
      {:postgrex, ">= 0.0.0"},
      {:phoenix_html, "~> 3.3"},
      {:phoenix_live_reload, "~> 1.2", only: :dev},
      {:phoenix_live_view, "~> 0.20.1"},
      {:floki, ">= 0.30.0", only: :test},
      {:esbuild, "~> 0.8", runtime: Mix.env() == :dev},
      {:tailwind, "~> 0.2.0", runtime: Mix.env() == :dev},
      {:heroicons,
       github: "tailwindlabs/heroicons",
       tag: "v2.1.1",
       sparse: "optimized",
       app: false,
       compile: false,
       depth: 1},
      {:swoosh, "~> 1.3"},
      {:telemetry_metrics, "~> 0.6"},
      {:gettext, "~> 0.20"},
      {:jason, "~> 1.2"},
      {:dns_cluster, "~> 0.1.1"},
      {:plug_cowboy, "~> 2.5"},
      {:credo, "~> 1.7", only: [:dev, :test], runtime: false}
    ]
  end

  # Aliases are shortcuts or tasks specific to the current project.
  defp aliases do
    [
      setup: ["deps.get", "ecto.setup", "assets.setup", "assets.build"],
      "ecto.setup": ["ecto.create", "ecto.migrate", "run priv/repo/seeds.exs"],
      "ecto.reset": ["ecto.drop", "ecto.setup"],
      test: ["ecto.create --quiet", "ecto.migrate --quiet", "test"],
      "assets.setup": ["tailwind.install --if-missing", "esbuild.install --if-missing"],
      "assets.build": ["tailwind default", "esbuild default"],
      "assets.deploy": ["tailwind default --minify", "esbuild default --minify", "phx.digest"]
    ]
  end
end
"""


def test_phoenix_17_generated_app() -> None:
    project = parse_mix_exs(PHOENIX_17_APP)
    assert project.module == "Shopfront.MixProject"
    assert project.has_project
    assert (project.app, project.version, project.elixir) == ("shopfront", "0.1.0", "~> 1.14")
    assert not project.umbrella
    assert project.apps_path is None
    assert project.releases is None
    assert [d.name for d in project.deps] == [
        "phoenix",
        "phoenix_ecto",
        "ecto_sql",
        "postgrex",
        "phoenix_html",
        "phoenix_live_reload",
        "phoenix_live_view",
        "floki",
        "esbuild",
        "tailwind",
        "heroicons",
        "swoosh",
        "telemetry_metrics",
        "gettext",
        "jason",
        "dns_cluster",
        "plug_cowboy",
        "credo",
    ]
    deps = {d.name: d for d in project.deps}
    assert deps["phoenix"] == Dep(name="phoenix", requirement="~> 1.7.10")
    assert deps["phoenix_live_reload"] == Dep(
        name="phoenix_live_reload", requirement="~> 1.2", only=("dev",)
    )
    assert deps["credo"] == Dep(
        name="credo", requirement="~> 1.7", only=("dev", "test"), runtime=False
    )
    assert deps["heroicons"] == Dep(
        name="heroicons",
        git="https://github.com/tailwindlabs/heroicons.git",
        github="tailwindlabs/heroicons",
    )
    # `runtime: Mix.env() == :dev` cannot be decided: kept at the default and reported.
    assert deps["esbuild"].runtime is True
    assert project.unknown == (
        ("deps.esbuild.runtime", "Mix.env() == :dev"),
        ("deps.tailwind.runtime", "Mix.env() == :dev"),
    )
    assert project.aliases == {
        "setup": ("deps.get", "ecto.setup", "assets.setup", "assets.build"),
        "ecto.setup": ("ecto.create", "ecto.migrate", "run priv/repo/seeds.exs"),
        "ecto.reset": ("ecto.drop", "ecto.setup"),
        "test": ("ecto.create --quiet", "ecto.migrate --quiet", "test"),
        "assets.setup": ("tailwind.install --if-missing", "esbuild.install --if-missing"),
        "assets.build": ("tailwind default", "esbuild default"),
        "assets.deploy": ("tailwind default --minify", "esbuild default --minify", "phx.digest"),
    }


PHOENIX_14_UMBRELLA_ROOT = """
defmodule Ledger.Umbrella.MixProject do
  use Mix.Project

  def project do
    [
      apps_path: "apps",
      start_permanent: Mix.env() == :prod,
      deps: deps(),
      aliases: aliases()
    ]
  end

  # Dependencies listed here are available only for this
  # project and cannot be accessed from applications inside
  # the apps folder.
  #
  # Run "mix help deps" for examples and options.
  defp deps do
    [{:distillery, "~> 2.0", runtime: false}, {:credo, "~> 1.0", only: :dev}]
  end

  defp aliases do
    ["ecto.reset": ["ecto.drop", "ecto.setup"], lint: &run_lint/1]
  end

  defp run_lint(_), do: Mix.Task.run("credo")
end
"""


def test_phoenix_14_umbrella_root() -> None:
    project = parse_mix_exs(PHOENIX_14_UMBRELLA_ROOT)
    assert project == MixProject(
        module="Ledger.Umbrella.MixProject",
        has_project=True,
        umbrella=True,
        apps_path="apps",
        deps=(
            Dep(name="distillery", requirement="~> 2.0", runtime=False),
            Dep(name="credo", requirement="~> 1.0", only=("dev",)),
        ),
        aliases={"ecto.reset": ("ecto.drop", "ecto.setup"), "lint": ("&run_lint/1",)},
    )


UMBRELLA_CHILD = """
defmodule Ledger.Web.MixProject do
  use Mix.Project

  def project() do
    [
      app: :ledger_web,
      version: "0.4.2",
      build_path: "../../_build",
      config_path: "../../config/config.exs",
      deps_path: "../../deps",
      lockfile: "../../mix.lock",
      elixir: "~> 1.6",
      compilers: [:phoenix, :gettext] ++ Mix.compilers(),
      deps: deps()
    ]
  end

  defp deps() do
    [
      {:phoenix, "~> 1.4.0"},
      {:ledger_core, in_umbrella: true},
      {:shared_ui, path: "../../../shared_ui", override: true},
      {:billing_client, "~> 2.1", organization: "acme"},
      {:cowboy_patch, git: "https://git.example.com/cowboy.git", tag: "v2.6.1"},
      {:xml_builder, "~> 2.1", optional: true, hex: :xml_builder_ex}
    ]
  end
end
"""


def test_umbrella_child_app() -> None:
    project = parse_mix_exs(UMBRELLA_CHILD, "apps/ledger_web/mix.exs")
    assert (project.app, project.version, project.elixir) == ("ledger_web", "0.4.2", "~> 1.6")
    assert not project.umbrella
    assert project.build_path == "../../_build"
    assert project.config_path == "../../config/config.exs"
    assert project.deps_path == "../../deps"
    assert project.lockfile == "../../mix.lock"
    assert project.deps == (
        Dep(name="phoenix", requirement="~> 1.4.0"),
        Dep(name="ledger_core", in_umbrella=True),
        Dep(name="shared_ui", path="../../../shared_ui", override=True),
        Dep(name="billing_client", requirement="~> 2.1", organization="acme"),
        Dep(name="cowboy_patch", git="https://git.example.com/cowboy.git"),
        Dep(name="xml_builder", requirement="~> 2.1", optional=True, hex="xml_builder_ex"),
    )
    assert project.unknown == ()


RELEASES_WITH_ATTRIBUTES = '''
defmodule Courier.MixProject do
  @moduledoc """
  Courier: delivers things.

  Built with `mix release`.
  """
  use Mix.Project

  @version "2.3.0-rc.1"
  @elixir_requirement "~> 1.15"
  @common_deps [
    # JSON everywhere
    {:jason, "~> 1.4"},
    # telemetry
    {:telemetry, "~> 1.2"}
  ]

  def project,
    do:
      [
        app: :courier,
        version: @version,
        elixir: @elixir_requirement,
        releases: releases(),
        deps: @common_deps ++ deps()
      ] ++ common()

  defp common, do: [build_embedded: true, version: "ignored, the first key wins"]

  defp deps, do: [{:oban, "~> 2.17"}] ++ private_deps()

  defp private_deps, do: System.get_env("PRIVATE") && [{:secret, "~> 1.0"}]

  defp releases do
    [
      courier: [
        include_executables_for: [:unix],
        applications: [courier: :permanent, runtime_tools: :permanent, observer: :load],
        steps: [:assemble, :tar]
      ],
      courier_worker: [
        applications: [courier: :permanent],
        include_erts: false,
        steps: [:assemble, &copy_extra_files/1]
      ],
      courier_minimal: []
    ]
  end
end
'''


def test_releases_from_helper_and_module_attributes() -> None:
    project = parse_mix_exs(RELEASES_WITH_ATTRIBUTES)
    assert project.version == "2.3.0-rc.1"
    assert project.elixir == "~> 1.15"
    assert [d.name for d in project.deps] == ["jason", "telemetry", "oban"]
    assert project.unknown == (("deps", 'System.get_env("PRIVATE") && [{:secret, "~> 1.0"}]'),)
    assert project.unknown_keys == frozenset({"deps"})
    assert project.releases == (
        ReleaseSpec(
            name="courier",
            applications=(
                ("courier", "permanent"),
                ("runtime_tools", "permanent"),
                ("observer", "load"),
            ),
            include_executables_for=("unix",),
            steps=("assemble", "tar"),
        ),
        ReleaseSpec(
            name="courier_worker",
            applications=(("courier", "permanent"),),
            include_erts=False,
            steps=("assemble", "&copy_extra_files/1"),
        ),
        ReleaseSpec(name="courier_minimal"),
    )


def test_missing_project_function_returns_an_empty_project() -> None:
    source = "defmodule Odd.MixProject do\n  use Mix.Project\n\n  def application, do: []\nend\n"
    assert parse_mix_exs(source) == MixProject(module="Odd.MixProject")


def test_unevaluable_scalar_fields_are_reported() -> None:
    source = """
defmodule Dyn.MixProject do
  use Mix.Project

  def project do
    [
      app: :dyn,
      version: File.read!("VERSION") |> String.trim(),
      apps_path: System.get_env("APPS", "apps"),
      releases: [dyn: release_opts(), other: [include_erts: "/opt/erts", steps: steps()]],
      aliases: [setup: ["deps.get", task_name()], ci: ci_tasks(), go: fn _ -> :ok end],
      deps: [{:a, "~> 1.0", only: envs()}, {:b, Mix.env()}, Mix.env()]
    ]
  end
end
"""
    project = parse_mix_exs(source)
    assert project.app == "dyn"
    assert project.version is None
    assert project.umbrella
    assert project.apps_path is None
    assert project.releases == (
        ReleaseSpec(name="dyn"),
        ReleaseSpec(name="other", include_erts="/opt/erts", steps=()),
    )
    assert project.aliases == {
        "setup": ("deps.get", "task_name()"),
        "ci": (),
        "go": ("fn _ -> :ok end",),
    }
    assert project.deps == (Dep(name="a", requirement="~> 1.0"), Dep(name="b"))
    assert project.unknown == (
        ("version", 'File.read!("VERSION") |> String.trim()'),
        ("apps_path", 'System.get_env("APPS", "apps")'),
        ("deps.a.only", "envs()"),
        ("deps.b.requirement", "Mix.env()"),
        ("deps", "Mix.env()"),
        ("releases.dyn", "release_opts()"),
        ("releases.other.steps", "steps()"),
        ("aliases.setup", "task_name()"),
        ("aliases.ci", "ci_tasks()"),
    )


def test_old_style_calls_without_parentheses() -> None:
    source = """
defmodule Old.Mixfile do
  use Mix.Project

  def project do
    [app: :old, version: "0.0.1", elixir: "~> 1.2", deps: deps]
  end

  defp deps do
    [{:cowboy, "~> 1.0"}, {:plug, "~> 1.0"}]
  end
end
"""
    project = parse_mix_exs(source)
    assert project.module == "Old.Mixfile"
    assert project.deps == (
        Dep(name="cowboy", requirement="~> 1.0"),
        Dep(name="plug", requirement="~> 1.0"),
    )


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("", 1),
        ("# only a comment\n", 1),
        ("defmodule NotMix do\n  use GenServer\nend\n", 2),
    ],
)
def test_source_without_a_mix_project_module(source: str, line: int) -> None:
    with pytest.raises(ParseError) as info:
        parse_mix_exs(source)
    assert (info.value.path, info.value.line) == ("mix.exs", line)
    assert info.value.detail == "no `defmodule ... do use Mix.Project` found"


def test_unclosed_do_in_mix_exs() -> None:
    broken = PHOENIX_17_APP.replace('  defp elixirc_paths(_), do: ["lib"]\n', "").replace(
        "  defp elixirc_paths(:test), do:", "  defp elixirc_paths(:test) do"
    )
    with pytest.raises(ParseError) as info:
        parse_mix_exs(broken, "apps/shop/mix.exs")
    assert str(info.value).startswith("apps/shop/mix.exs:")
    assert info.value.detail == "syntax error: missing `end` to close `do` on line 2"


def test_partially_known_project_list() -> None:
    source = """
defmodule Partial.MixProject do
  use Mix.Project

  def project, do: [app: :partial, deps: []] ++ Shared.project_config()
end
"""
    project = parse_mix_exs(source)
    assert (project.app, project.deps, project.umbrella) == ("partial", (), False)
    assert project.unknown == (("project", "Shared.project_config()"),)


def test_project_that_is_not_a_keyword_list() -> None:
    source = "defmodule X.MixProject do\n  use Mix.Project\n  def project, do: Config.load()\nend\n"
    project = parse_mix_exs(source)
    assert project == MixProject(
        module="X.MixProject", has_project=True, unknown=(("project", "Config.load()"),)
    )


def test_deps_through_list_flatten_and_mix_target() -> None:
    """``deps: List.flatten([[...], dev_deps(), target_deps(Mix.target())])``: the lists are
    flattened, and ``Mix.target()`` is ``:host`` (no image build sets MIX_TARGET); a part that
    cannot be known stays one unknown item and the known deps are still read."""
    source = """
defmodule Sync.MixProject do
  use Mix.Project

  def project, do: [app: :sync, deps: deps()]

  defp deps do
    List.flatten([
      [{:pg_query_ex, "0.10.0"}, {:plug, "~> 1.17"}],
      dev_deps(),
      target_deps(Mix.target()),
      extra_deps(@extra)
    ])
  end

  defp dev_deps, do: [{:ex_doc, ">= 0.0.0", only: :dev}]
  defp target_deps(:host), do: [{:bandit, "~> 1.6"}]
  defp target_deps(_), do: [{:nerves_runtime, "~> 0.13"}]
  defp extra_deps(@extra), do: []
end
"""
    project = parse_mix_exs(source)
    assert [dep.name for dep in project.deps] == ["pg_query_ex", "plug", "ex_doc", "bandit"]
    assert project.deps[2].only == ("dev",)
    assert project.unknown == (("deps", "extra_deps(@extra)"),)
