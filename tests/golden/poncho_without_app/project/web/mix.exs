defmodule InventoryWeb.MixProject do
  use Mix.Project

  def project do
    [
      app: :inventory_web,
      version: "0.1.0",
      elixir: "~> 1.15",
      start_permanent: Mix.env() == :prod,
      aliases: aliases(),
      deps: deps(),
      releases: [inventory: [applications: [inventory_core: :permanent, inventory_web: :permanent]]]
    ]
  end

  def application do
    [
      mod: {InventoryWeb.Application, []},
      extra_applications: [:logger, :runtime_tools]
    ]
  end

  defp deps do
    [
      # Poncho layout: the core lives next door, not in an umbrella.
      {:inventory_core, path: "../core"},
      {:phoenix, "~> 1.7.12"},
      {:phoenix_ecto, "~> 4.4"},
      {:phoenix_html, "~> 4.0"},
      {:phoenix_live_view, "~> 0.20.2"},
      {:esbuild, "~> 0.8", runtime: Mix.env() == :dev},
      {:tailwind, "~> 0.2", runtime: Mix.env() == :dev},
      {:telemetry_metrics, "~> 1.0"},
      {:telemetry_poller, "~> 1.0"},
      {:gettext, "~> 0.20"},
      {:jason, "~> 1.2"},
      {:bandit, "~> 1.2"}
    ]
  end

  defp aliases do
    [
      setup: ["deps.get", "assets.setup", "assets.build"],
      "assets.setup": ["tailwind.install --if-missing", "esbuild.install --if-missing"],
      "assets.build": ["tailwind inventory_web", "esbuild inventory_web"],
      "assets.deploy": ["tailwind inventory_web --minify", "esbuild inventory_web --minify", "phx.digest"]
    ]
  end
end
