import Config
alias Relay.ConfigParser

if config_env() == :prod do
  env_vars = System.get_env()

  # sequin's shape: the port comes from a function of the project's own
  config :relay, RelayWeb.Endpoint,
    http: [ip: {0, 0, 0, 0}, port: ConfigParser.server_port(env_vars)],
    server: true
end
