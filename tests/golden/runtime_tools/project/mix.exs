defmodule Clipper.MixProject do
  use Mix.Project

  def project do
    [
      app: :clipper,
      version: "0.5.0",
      elixir: "~> 1.15",
      start_permanent: Mix.env() == :prod,
      deps: deps()
    ]
  end

  def application do
    [mod: {Clipper.Application, []}, extra_applications: [:logger]]
  end

  defp deps do
    [{:bandit, "~> 1.2"}, {:plug, "~> 1.16"}, {:porcelain, "~> 2.0"}]
  end
end
