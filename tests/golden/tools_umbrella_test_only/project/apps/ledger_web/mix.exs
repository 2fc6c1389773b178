defmodule LedgerWeb.MixProject do
  use Mix.Project

  def project do
    [
      app: :ledger_web,
      version: "0.1.0",
      build_path: "../../_build",
      config_path: "../../config/config.exs",
      deps_path: "../../deps",
      lockfile: "../../mix.lock",
      elixir: "~> 1.15",
      deps: deps()
    ]
  end

  def application, do: [mod: {LedgerWeb.Application, []}, extra_applications: [:logger]]

  defp deps do
    [
      {:ledger, in_umbrella: true},
      {:phoenix, "~> 1.8.0"},
      # LiveView 1.1 lists lazy_html as an optional dependency; LiveViewTest needs it.
      {:phoenix_live_view, "~> 1.1"},
      {:lazy_html, ">= 0.1.0", only: :test},
      {:bandit, "~> 1.5"}
    ]
  end
end
