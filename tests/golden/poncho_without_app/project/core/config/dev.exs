import Config

config :inventory_core, InventoryCore.Repo, database: "inventory_dev", username: "postgres", password: "postgres"
