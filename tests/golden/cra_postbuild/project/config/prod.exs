import Config

config :beacon_ui, BeaconUiWeb.Endpoint, cache_static_manifest: "priv/static/cache_manifest.json"

config :logger, level: :info
