defmodule Ledger.MixProject do
  use Mix.Project

  def project do
    [
      app: :ledger,
      version: "0.1.0",
      build_path: "../../_build",
      config_path: "../../config/config.exs",
      deps_path: "../../deps",
      lockfile: "../../mix.lock",
      elixir: "~> 1.15",
      deps: deps()
    ]
  end

  def application, do: [mod: {Ledger.Application, []}, extra_applications: [:logger]]

  defp deps do
    [
      {:ecto_sql, "~> 3.11"},
      {:postgrex, ">= 0.0.0"},
      # Tests run against SQLite and hash with bcrypt: C NIFs, but only for test/dev.
      {:exqlite, "~> 0.27", only: :test},
      {:bcrypt_elixir, "~> 3.1", only: [:dev, :test]}
    ]
  end
end
