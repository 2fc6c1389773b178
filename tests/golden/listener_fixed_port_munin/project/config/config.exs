import Config

config :relay, RelayWeb.Endpoint,
  url: [host: "localhost"],
  adapter: Bandit.PhoenixAdapter

# A munin node for the host's monitoring: plain TCP, loopback only.
config :relay, :munin, port: 4950, ip: {127, 0, 0, 1}

import_config "#{config_env()}.exs"
