defmodule Paired.MixProject do
  use Mix.Project

  def project do
    [
      app: :paired,
      version: "0.1.0",
      elixir: "~> 1.17",
      start_permanent: Mix.env() == :prod,
      deps: deps()
    ]
  end

  def application do
    [
      extra_applications: [:logger],
      mod: {Paired.Application, []}
    ]
  end

  defp deps do
    []
  end
end
