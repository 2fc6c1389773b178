defmodule Pinned.MixProject do
  use Mix.Project

  def project do
    [
      app: :pinned,
      version: "0.1.0",
      elixir: "~> 1.9",
      start_permanent: Mix.env() == :prod,
      deps: deps()
    ]
  end

  def application do
    [
      extra_applications: [:logger],
      mod: {Pinned.Application, []}
    ]
  end

  defp deps do
    []
  end
end
