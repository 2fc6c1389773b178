import Config

config :ledger, LedgerWeb.Endpoint,
  url: [host: "localhost"],
  pubsub_server: Ledger.PubSub

config :phoenix, :json_library, Jason

import_config "#{config_env()}.exs"
