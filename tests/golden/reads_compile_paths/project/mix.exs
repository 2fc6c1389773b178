defmodule Catalog.MixProject do
  use Mix.Project

  def project do
    [
      app: :catalog,
      version: "0.3.0",
      elixir: "~> 1.14",
      elixirc_paths: elixirc_paths(Mix.env()),
      deps: []
    ]
  end

  def application, do: [extra_applications: [:logger], mod: {Catalog.Application, []}]

  defp elixirc_paths(:test), do: ["lib", "generated/lib", "test/support"]
  defp elixirc_paths(_), do: ["lib", "generated/lib"]
end
