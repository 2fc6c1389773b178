defmodule Highlighter.MixProject do
  use Mix.Project

  def project do
    [
      app: :highlighter,
      version: "0.1.0",
      elixir: "~> 1.17",
      start_permanent: Mix.env() == :prod,
      deps: deps()
    ]
  end

  def application do
    [mod: {Highlighter.Application, []}, extra_applications: [:logger]]
  end

  defp deps do
    [
      {:plug_cowboy, "~> 2.7"},
      # The git dependency below is a Rustler NIF: its mix.exs is not in mix.lock, so the
      # project declares rustler itself (as hexpm does for lumis).
      {:rustler, ">= 0.0.0"},
      {:tree_paint,
       github: "acme/tree_paint", sparse: "packages/elixir/tree_paint", depth: 1},
      {:credo, "~> 1.7", only: [:dev, :test], runtime: false}
    ]
  end
end
