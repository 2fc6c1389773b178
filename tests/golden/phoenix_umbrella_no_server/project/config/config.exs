# This file is responsible for configuring your umbrella
# and **all applications** and their dependencies with the
# help of the Config module.
#
# Note that all applications in your umbrella share the
# same configuration and dependencies, which is why they
# all use the same configuration file. If you want different
# configurations or dependencies per app, it is best to
# move said applications out of the umbrella.
import Config

# Configure Mix tasks and generators
config :fleet_ops,
  ecto_repos: [FleetOps.Repo]

config :fleet_ops_web,
  ecto_repos: [FleetOps.Repo],
  generators: [context_app: :fleet_ops]

# Configures the endpoint
config :fleet_ops_web, FleetOpsWeb.Endpoint,
  url: [host: "localhost"],
  adapter: Bandit.PhoenixAdapter,
  render_errors: [
    formats: [html: FleetOpsWeb.ErrorHTML, json: FleetOpsWeb.ErrorJSON],
    layout: false
  ],
  pubsub_server: FleetOps.PubSub,
  live_view: [signing_salt: "c937093e"]

# Configure esbuild (the version is required)
config :esbuild,
  version: "0.17.11",
  fleet_ops_web: [
    args:
      ~w(js/app.js --bundle --target=es2017 --outdir=../priv/static/assets --external:/fonts/* --external:/images/*),
    cd: Path.expand("../apps/fleet_ops_web/assets", __DIR__),
    env: %{"NODE_PATH" => Path.expand("../deps", __DIR__)}
  ]

# Configure tailwind (the version is required)
config :tailwind,
  version: "3.4.0",
  fleet_ops_web: [
    args: ~w(
      --config=tailwind.config.js
      --input=css/app.css
      --output=../priv/static/assets/app.css
    ),
    cd: Path.expand("../apps/fleet_ops_web/assets", __DIR__)
  ]

config :fleet_ops_worker, Oban,
  repo: FleetOps.Repo,
  queues: [default: 10, telemetry: 20, maintenance: 2]

# Configures Elixir's Logger
config :logger, :console,
  format: "$time $metadata[$level] $message\n",
  metadata: [:request_id]

# Use Jason for JSON parsing in Phoenix
config :phoenix, :json_library, Jason

# Import environment specific config. This must remain at the bottom
# of this file so it overrides the configuration above.
import_config "#{config_env()}.exs"
