use Mix.Config

config :ledger, port: {:system, "PORT"}

import_config "#{Mix.env()}.exs"
