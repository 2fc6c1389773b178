import Config

config :atlas4, Atlas4Web.Endpoint,
  url: [host: "localhost"],
  pubsub_server: Atlas4.PubSub

config :phoenix, :json_library, Jason

import_config "#{config_env()}.exs"
