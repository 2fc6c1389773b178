defmodule Almanac.MixProject do
  use Mix.Project

  def project do
    [
      app: :almanac,
      version: "0.1.0",
      elixir: "~> 1.4",
      start_permanent: Mix.env() == :prod,
      deps: deps()
    ]
  end

  def application do
    [
      extra_applications: [:logger],
      mod: {Almanac.Application, []}
    ]
  end

  defp deps do
    [{:phoenix, "~> 1.3.4"}, {:phoenix_pubsub, "~> 1.0"}, {:cowboy, "~> 1.0"}, {:plug_cowboy, "~> 1.0"}]
  end
end
