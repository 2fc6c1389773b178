import Config

config :relay, RelayWeb.Endpoint, http: [port: 4000]
