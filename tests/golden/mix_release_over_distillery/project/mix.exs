defmodule Ledger.MixProject do
  use Mix.Project

  def project do
    [
      app: :ledger,
      version: "2.3.0",
      elixir: "~> 1.14",
      start_permanent: Mix.env() == :prod,
      deps: deps(),
      # Moved to mix release; Distillery stays for hot-upgrade appups.
      releases: [
        ledger: [include_executables_for: [:unix]]
      ]
    ]
  end

  def application do
    [mod: {Ledger.Application, []}, extra_applications: [:logger]]
  end

  defp deps do
    [
      {:phoenix, "~> 1.7.12"},
      {:bandit, "~> 1.2"},
      {:distillery, "~> 2.1", runtime: false}
    ]
  end
end
