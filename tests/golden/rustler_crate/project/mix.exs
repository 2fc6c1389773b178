defmodule Fastmath.MixProject do
  use Mix.Project

  def project do
    [
      app: :fastmath,
      version: "0.1.0",
      elixir: "~> 1.15",
      start_permanent: Mix.env() == :prod,
      deps: deps()
    ]
  end

  def application do
    [extra_applications: [:logger]]
  end

  defp deps do
    [
      {:rustler, "~> 0.34.0"},
      {:plug_cowboy, "~> 2.7"},
      # Native, but only for tests and development: never in the prod build.
      {:exqlite, "~> 0.23", only: :test},
      {:bcrypt_elixir, "~> 3.0", only: [:dev, :test]}
    ]
  end
end
