import Config

config :inventory_core, InventoryCore.Repo, database: "inventory_test", pool: Ecto.Adapters.SQL.Sandbox
