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
config :ledger,
  ecto_repos: [Ledger.Repo]

config :ledger_web,
  ecto_repos: [Ledger.Repo],
  generators: [context_app: :ledger]

# Configures the endpoint
config :ledger_web, LedgerWeb.Endpoint,
  url: [host: "localhost"],
  adapter: Bandit.PhoenixAdapter,
  render_errors: [
    formats: [html: LedgerWeb.ErrorHTML, json: LedgerWeb.ErrorJSON],
    layout: false
  ],
  pubsub_server: Ledger.PubSub,
  live_view: [signing_salt: "b7ca1681"]

config :phoenix, :json_library, Jason

import_config "#{config_env()}.exs"
