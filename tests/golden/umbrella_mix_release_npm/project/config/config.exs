# This file is responsible for configuring your umbrella
# and **all applications** and their dependencies with the
# help of Mix.Config.
#
# Note that all applications in your umbrella share the
# same configuration and dependencies, which is why they
# all use the same configuration file. If you want different
# configurations or dependencies per app, it is best to
# move said applications out of the umbrella.
use Mix.Config

# Configure Mix tasks and generators
config :shop,
  ecto_repos: [Shop.Repo]

config :shop_web,
  ecto_repos: [Shop.Repo],
  generators: [context_app: :shop]

# Configures the endpoint
config :shop_web, ShopWeb.Endpoint,
  url: [host: "localhost"],
  secret_key_base: "d980170134a846aa6c583512ab88f405d189ce3a13da5c3851fb4b8e99913eb3",
  render_errors: [view: ShopWeb.ErrorView, accepts: ~w(html json), layout: false],
  pubsub_server: Shop.PubSub,
  live_view: [signing_salt: "5fe56faf"]

# Configures Elixir's Logger
config :logger, :console,
  format: "$time $metadata[$level] $message\n",
  metadata: [:request_id]

# Use Jason for JSON parsing in Phoenix
config :phoenix, :json_library, Jason

# Import environment specific config. This must remain at the bottom
# of this file so it overrides the configuration above.
import_config "#{Mix.env()}.exs"
