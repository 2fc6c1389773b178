use Mix.Config

config :ledger, currency: "EUR"

import_config "#{Mix.env()}.exs"
