import Config

config :ledger, LedgerWeb.Endpoint,
  url: [host: "localhost"],
  pubsub_server: Ledger.PubSub

config :phoenix, :json_library, Jason

config :tailwind,
  version: "3.4.3",
  default: [
    args: ~w(--config=tailwind.config.js --input=css/app.css --output=../priv/static/assets/app.css),
    cd: Path.expand("../assets", __DIR__)
  ]

import_config "#{config_env()}.exs"
