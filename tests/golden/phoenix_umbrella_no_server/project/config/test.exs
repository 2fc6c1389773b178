import Config

config :fleet_ops, FleetOps.Repo,
  username: "postgres",
  password: "postgres",
  hostname: "localhost",
  database: "fleet_ops_test#{System.get_env("MIX_TEST_PARTITION")}",
  pool: Ecto.Adapters.SQL.Sandbox,
  pool_size: System.schedulers_online() * 2

config :fleet_ops_web, FleetOpsWeb.Endpoint,
  http: [ip: {127, 0, 0, 1}, port: 4002],
  secret_key_base: "32e565d06bfaaec02d1c3e9bfacec9932a67c591f94205ae3f7f9f989af1fb33",
  server: false

config :fleet_ops_worker, Oban, testing: :manual

config :logger, level: :warning
config :phoenix, :plug_init_mode, :runtime
