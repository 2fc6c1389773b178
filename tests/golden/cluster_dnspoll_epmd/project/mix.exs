defmodule RealtimeLite.MixProject do
  use Mix.Project

  def project do
    [
      app: :realtime_lite,
      version: "0.9.2",
      elixir: "~> 1.11",
      start_permanent: Mix.env() == :prod,
      deps: deps(),
      releases: [realtime_lite: [include_executables_for: [:unix]]]
    ]
  end

  def application do
    [extra_applications: [:logger], mod: {RealtimeLite.Application, []}]
  end

  defp deps do
    [
      {:plug_cowboy, "~> 2.5"},
      {:libcluster, "~> 3.3"}
    ]
  end
end
