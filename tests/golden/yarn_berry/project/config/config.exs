import Config

config :quill, QuillWeb.Endpoint,
  url: [host: "localhost"],
  pubsub_server: Quill.PubSub

config :phoenix, :json_library, Jason

import_config "#{config_env()}.exs"
