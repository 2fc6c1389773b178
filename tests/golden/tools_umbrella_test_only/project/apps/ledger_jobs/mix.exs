defmodule LedgerJobs.MixProject do
  use Mix.Project

  def project do
    [
      app: :ledger_jobs,
      version: "0.1.0",
      build_path: "../../_build",
      config_path: "../../config/config.exs",
      deps_path: "../../deps",
      lockfile: "../../mix.lock",
      elixir: "~> 1.15",
      deps: deps() ++ extra_deps(Mix.target())
    ]
  end

  def application, do: [extra_applications: [:logger]]

  defp deps do
    [{:ledger, in_umbrella: true}, {:oban, "~> 2.17"}]
  end

  # Built by a function kubenative does not follow: some deps stay unknown.
  defp extra_deps(:host), do: []
  defp extra_deps(_target), do: [{:nerves_runtime, "~> 0.13"}]
end
