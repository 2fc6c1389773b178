defmodule EmberBun.MixProject do
  use Mix.Project

  def project do
    [
      app: :ember_bun,
      version: "0.1.0",
      elixir: "~> 1.14",
      elixirc_paths: elixirc_paths(Mix.env()),
      start_permanent: Mix.env() == :prod,
      aliases: aliases(),
      deps: deps()
    ]
  end

  def application do
    [
      mod: {EmberBun.Application, []},
      extra_applications: [:logger, :runtime_tools]
    ]
  end

  defp elixirc_paths(:test), do: ["lib", "test/support"]
  defp elixirc_paths(_), do: ["lib"]

  defp deps do
    [
      {:phoenix, "~> 1.7.14"},
      {:phoenix_html, "~> 4.1"},
      {:phoenix_live_view, "~> 0.20.17"},
      {:jason, "~> 1.2"},
      {:bandit, "~> 1.5"},
      {:bun, "~> 1.3", runtime: Mix.env() == :dev}
    ]
  end

  defp aliases do
    [
      setup: ["deps.get", "assets.setup", "assets.build"],
      "assets.setup": ["bun.install --if-missing", "bun assets install"],
      "assets.build": ["bun js", "bun css"],
      "assets.deploy": ["bun assets install", "bun js --minify", "bun css --minify", "phx.digest"]
    ]
  end
end
