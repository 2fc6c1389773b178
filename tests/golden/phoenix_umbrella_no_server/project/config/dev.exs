import Config

# Configure your database
config :fleet_ops, FleetOps.Repo,
  username: "postgres",
  password: "postgres",
  hostname: "localhost",
  database: "fleet_ops_dev",
  stacktrace: true,
  show_sensitive_data_on_connection_error: true,
  pool_size: 10

config :fleet_ops_web, FleetOpsWeb.Endpoint,
  # Binding to loopback ipv4 address prevents access from other machines.
  http: [ip: {127, 0, 0, 1}, port: 4000],
  check_origin: false,
  code_reloader: true,
  debug_errors: true,
  secret_key_base: "5fe6ae954e628f5d019044d8e0fa48480106ca37e7ed34d391c51c8a7186ef89",
  watchers: [
    esbuild: {Esbuild, :install_and_run, [:fleet_ops_web, ~w(--sourcemap=inline --watch)]},
    tailwind: {Tailwind, :install_and_run, [:fleet_ops_web, ~w(--watch)]}
  ]

config :logger, :console, format: "[$level] $message\n"
config :phoenix, :stacktrace_depth, 20
config :phoenix, :plug_init_mode, :runtime
