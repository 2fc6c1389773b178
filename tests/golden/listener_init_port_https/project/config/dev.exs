import Config

config :registry, RegistryWeb.Endpoint, http: [port: 4000]
config :registry, RegistryWeb.SecureEndpoint, https: [port: 4443]
