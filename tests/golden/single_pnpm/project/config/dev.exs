import Config

# For development, we disable any cache and enable
# debugging and code reloading.
config :ember, EmberWeb.Endpoint,
  # Binding to loopback ipv4 address prevents access from other machines.
  # Change to `ip: {0, 0, 0, 0}` to allow access from other machines.
  http: [ip: {127, 0, 0, 1}, port: 4000],
  check_origin: false,
  code_reloader: true,
  debug_errors: true,
  secret_key_base: "eddc37c774a9c5c8a8a38a838cd01b4196a98a571eb21889f8fefa631dfa9ecc",
  watchers: [
    pnpm: ["run", "watch", cd: Path.expand("../assets", __DIR__)]
  ]

# Do not include metadata nor timestamps in development logs
config :logger, :console, format: "[$level] $message\n"

# Set a higher stacktrace during development.
config :phoenix, :stacktrace_depth, 20

# Initialize plugs at runtime for faster development compilation
config :phoenix, :plug_init_mode, :runtime
