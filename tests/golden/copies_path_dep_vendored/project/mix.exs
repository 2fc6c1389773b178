defmodule Ticker.MixProject do
  use Mix.Project

  def project do
    [
      app: :ticker,
      version: "0.1.0",
      elixir: "~> 1.15",
      start_permanent: Mix.env() == :prod,
      deps: deps()
    ]
  end

  def application do
    [
      extra_applications: [:logger],
      mod: {Ticker.Application, []}
    ]
  end

  defp deps do
    [
      # Vendored into the project: copied with the mix files, before deps.get.
      {:dns_cluster, path: "vendor/dns_cluster"},
      # Only for development: `deps.get --only prod` never loads it.
      {:dev_tools, path: "vendor/dev_tools", only: :dev},
      # Outside the project (the Docker context): a warning.
      {:shared, path: "../shared"}
    ]
  end
end
