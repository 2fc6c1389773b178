import Config

config :bazaar_web, BazaarWeb.Endpoint, url: [host: "localhost"]
config :bazaar_admin, BazaarAdmin.Endpoint, url: [host: "localhost"]

import_config "#{Mix.env()}.exs"
