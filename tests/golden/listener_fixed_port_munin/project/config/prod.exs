import Config

# The port the load balancer was set up for, fixed in config.
config :relay, RelayWeb.Endpoint,
  http: [ip: {0, 0, 0, 0, 0, 0, 0, 0}, port: 20080],
  server: true
