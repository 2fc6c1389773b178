import Config

if config_env() == :prod do
  config :relay, RelayWeb.Endpoint,
    http: [ip: {0, 0, 0, 0}, port: String.to_integer(System.get_env("PORT") || "4000")],
    server: true
end

# electric's shape: an unauthenticated dashboard, configured only when the operator sets its port
dashboard_port = System.get_env("RELAY_DASHBOARD_PORT")

if dashboard_port do
  config :relay, RelayWeb.DashboardEndpoint,
    http: [ip: {0, 0, 0, 0}, port: String.to_integer(dashboard_port)],
    server: true
end
