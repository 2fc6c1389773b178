import Config

if config_env() == :prod do
  config :relay, RelayWeb.Endpoint,
    http: [ip: {0, 0, 0, 0}, port: String.to_integer(System.get_env("PORT") || "4000")],
    server: true

  # hexpm/bob's shape: metrics on a port of their own, only when the operator asks for them
  if metrics_port = System.get_env("RELAY_METRICS_PORT") do
    config :relay, metrics_port: String.to_integer(metrics_port)
  end
end
