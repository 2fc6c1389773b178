defmodule Relay.MixProject do
  use Mix.Project

  def project do
    [
      app: :relay,
      version: "0.1.0",
      elixir: "~> 1.15",
      start_permanent: Mix.env() == :prod,
      deps: deps()
    ]
  end

  def application do
    [mod: {Relay.Application, []}, extra_applications: [:logger]]
  end

  defp deps do
    [{:phoenix, "~> 1.7.12"}, {:bandit, "~> 1.2"}]
  end
end
