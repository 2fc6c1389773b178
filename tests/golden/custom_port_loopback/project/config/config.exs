import Config

config :kiosk, KioskWeb.Endpoint,
  url: [host: "localhost"],
  adapter: Bandit.PhoenixAdapter

import_config "#{config_env()}.exs"
