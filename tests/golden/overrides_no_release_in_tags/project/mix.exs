defmodule Untagged.MixProject do
  use Mix.Project

  def project do
    [
      app: :untagged,
      version: "0.1.0",
      elixir: "~> 1.15",
      start_permanent: Mix.env() == :prod,
      deps: deps()
    ]
  end

  def application do
    [
      extra_applications: [:logger],
      mod: {Untagged.Application, []}
    ]
  end

  defp deps do
    []
  end
end
