import Config

# Read while the release is built: the values are baked in.
config :ledger, Ledger.Repo,
  url: System.get_env("DATABASE_URL"),
  pool_size: String.to_integer(System.fetch_env!("POOL_SIZE"))

config :ledger, :api, key: Map.fetch!(System.get_env(), "LEDGER_API_KEY")

import_config "prod.secret.exs"
