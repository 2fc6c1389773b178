import Config

# Configure your database
config :kiosk, Kiosk.Repo,
  username: "postgres",
  password: "postgres",
  hostname: "localhost",
  database: "kiosk_dev",
  show_sensitive_data_on_connection_error: true,
  pool_size: 10

# For development, we disable any cache and enable
# debugging and code reloading.
config :kiosk, KioskWeb.Endpoint,
  # Binding to loopback ipv4 address prevents access from other machines.
  # Change to `ip: {0, 0, 0, 0}` to allow access from other machines.
  http: [ip: {127, 0, 0, 1}, port: 4000],
  check_origin: false,
  code_reloader: true,
  debug_errors: true,
  secret_key_base: "8b37467c78de0c7e20383e3e3440f64c1d7c1d109c6747c98cff246a358d9e0f",
  watchers: [
    yarn: ["run", "watch", cd: Path.expand("../assets", __DIR__)]
  ]

# Do not include metadata nor timestamps in development logs
config :logger, :console, format: "[$level] $message\n"

# Set a higher stacktrace during development.
config :phoenix, :stacktrace_depth, 20

# Initialize plugs at runtime for faster development compilation
config :phoenix, :plug_init_mode, :runtime
