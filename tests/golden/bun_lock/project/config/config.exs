import Config

config :comet, CometWeb.Endpoint,
  url: [host: "localhost"],
  pubsub_server: Comet.PubSub

config :phoenix, :json_library, Jason

import_config "#{config_env()}.exs"
