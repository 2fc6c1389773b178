import Config

config :ledger, LedgerWeb.Endpoint,
  url: [host: "localhost"],
  adapter: Bandit.PhoenixAdapter

import_config "#{config_env()}.exs"
