import Config

config :registry, RegistryWeb.Endpoint,
  url: [host: "localhost"],
  adapter: Bandit.PhoenixAdapter

config :registry, RegistryWeb.SecureEndpoint,
  url: [host: "localhost", port: 443, scheme: "https"],
  adapter: Bandit.PhoenixAdapter

import_config "#{config_env()}.exs"
