import Config

config :inventory_core, ecto_repos: [InventoryCore.Repo]

import_config "#{config_env()}.exs"
