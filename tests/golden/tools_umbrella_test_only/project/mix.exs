defmodule Ledger.Umbrella.MixProject do
  use Mix.Project

  def project do
    [
      apps_path: "apps",
      version: "0.1.0",
      start_permanent: Mix.env() == :prod,
      deps: [],
      releases: [
        ledger: [applications: [ledger: :permanent, ledger_web: :permanent, ledger_jobs: :permanent]]
      ]
    ]
  end
end
