import Config

config :beacon_ui, BeaconUiWeb.Endpoint,
  url: [host: "localhost"],
  pubsub_server: BeaconUi.PubSub

config :phoenix, :json_library, Jason

import_config "#{config_env()}.exs"
