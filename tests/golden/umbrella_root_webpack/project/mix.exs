defmodule Bazaar.Umbrella.MixProject do
  use Mix.Project

  def project do
    [
      apps_path: "apps",
      version: "0.1.0",
      start_permanent: Mix.env() == :prod,
      deps: [],
      releases: [
        bazaar: [applications: [bazaar: :permanent, bazaar_web: :permanent, bazaar_admin: :permanent]]
      ],
      aliases: [setup: ["cmd npm ci", "cmd --app bazaar mix ecto.setup"]]
    ]
  end
end
