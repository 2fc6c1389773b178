defmodule Slimline.MixProject do
  use Mix.Project

  def project do
    [
      app: :slimline,
      version: "0.1.0",
      elixir: "~> 1.15",
      start_permanent: Mix.env() == :prod,
      deps: deps(),
      releases: [slimline: [include_erts: false]]
    ]
  end

  def application do
    [
      extra_applications: [:logger],
      mod: {Slimline.Application, []}
    ]
  end

  defp deps do
    []
  end
end
