import Config

if config_env() == :prod do
  config :inventory_core, InventoryCore.Repo, url: System.fetch_env!("DATABASE_URL")

  config :inventory_web, InventoryWeb.Endpoint,
    server: true,
    http: [ip: {0, 0, 0, 0, 0, 0, 0, 0}, port: String.to_integer(System.get_env("PORT") || "4000")],
    secret_key_base: System.fetch_env!("SECRET_KEY_BASE")
end
