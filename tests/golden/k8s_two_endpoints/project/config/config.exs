import Config

config :shop, ecto_repos: [Shop.Repo]

config :shop, ShopWeb.Endpoint,
  url: [host: "localhost"],
  adapter: Bandit.PhoenixAdapter

config :phoenix, :json_library, Jason

import_config "#{config_env()}.exs"
