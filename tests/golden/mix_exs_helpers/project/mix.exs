defmodule Atlas.MixProject do
  use Mix.Project

  @app :atlas
  @version "2.3.1"
  @elixir_requirement "~> 1.15"
  @source_url "https://git.example.com/platform/atlas"

  def project do
    [
      app: @app,
      version: @version,
      elixir: @elixir_requirement,
      elixirc_paths: elixirc_paths(Mix.env()),
      start_permanent: Mix.env() == :prod,
      source_url: @source_url,
      deps: deps(),
      releases: releases(),
      aliases: aliases(),
      dialyzer: [
        plt_add_apps: [:mix, :ex_unit],
        flags: [:error_handling, :unknown]
      ],
      test_coverage: [summary: [threshold: 80]]
    ]
  end

  def application do
    [
      mod: {Atlas.Application, []},
      extra_applications: extra_applications(Mix.env())
    ]
  end

  defp extra_applications(:dev), do: [:logger, :runtime_tools, :observer, :wx]
  defp extra_applications(_), do: [:logger, :runtime_tools]

  defp elixirc_paths(:test), do: ["lib", "test/support"]
  defp elixirc_paths(_), do: ["lib"]

  defp deps do
    [
      # -- web ---------------------------------------------------------
      {:phoenix, "~> 1.7.12"},
      {:phoenix_html, "~> 4.0"},
      {:phoenix_live_view, "~> 0.20.2"},
      {:phoenix_live_dashboard, "~> 0.8.3"},
      {:bandit, "~> 1.2"},
      # {:plug_cowboy, "~> 2.5"},   replaced by Bandit in 2.0

      # -- data --------------------------------------------------------
      {:phoenix_ecto, "~> 4.4"},
      {:ecto_sql, "~> 3.10"},
      {:postgrex, ">= 0.0.0"},

      # -- assets (build time only) ------------------------------------
      {:esbuild, "~> 0.8", runtime: Mix.env() == :dev},
      {:tailwind, "~> 0.2", runtime: Mix.env() == :dev},
      {
        :heroicons,
        github: "tailwindlabs/heroicons",
        tag: "v2.1.1",
        sparse: "optimized",
        app: false,
        compile: false,
        depth: 1
      },

      # -- observability -----------------------------------------------
      {:telemetry_metrics, "~> 1.0"},
      {:telemetry_poller, "~> 1.0"},
      {:dns_cluster, "~> 0.1.1"},

      # -- misc --------------------------------------------------------
      {:gettext, "~> 0.20"},
      {:jason, "~> 1.2"},

      # -- dev & test --------------------------------------------------
      {:phoenix_live_reload, "~> 1.2", only: :dev},
      {:floki, ">= 0.30.0", only: :test}
    ]
  end

  defp aliases do
    [
      setup: [
        "deps.get",
        "ecto.setup",
        "assets.setup",
        "assets.build"
      ],
      "ecto.setup": ["ecto.create", "ecto.migrate", "run priv/repo/seeds.exs"],
      "ecto.reset": ["ecto.drop", "ecto.setup"],
      test: ["ecto.create --quiet", "ecto.migrate --quiet", "test"],
      "assets.setup": ["tailwind.install --if-missing", "esbuild.install --if-missing"],
      "assets.build": ["tailwind #{@app}", "esbuild #{@app}"],
      "assets.deploy": [
        "tailwind #{@app} --minify",
        "esbuild #{@app} --minify",
        "phx.digest"
      ]
    ]
  end

  defp releases do
    [
      atlas: [
        version: @version,
        include_executables_for: [:unix],
        applications: [runtime_tools: :permanent],
        # the tarball is what the CI uploads; the image still uses the assembled dir
        steps: [:assemble, :tar]
      ]
    ]
  end
end
