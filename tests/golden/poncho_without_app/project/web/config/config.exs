import Config

# The core's config is not loaded automatically in a poncho project.
import_config "../../core/config/config.exs"

config :inventory_web, InventoryWeb.Endpoint,
  url: [host: "localhost"],
  adapter: Bandit.PhoenixAdapter,
  pubsub_server: InventoryWeb.PubSub

config :esbuild,
  version: "0.17.11",
  inventory_web: [
    args: ~w(js/app.js --bundle --target=es2017 --outdir=../priv/static/assets),
    cd: Path.expand("../assets", __DIR__),
    env: %{"NODE_PATH" => Path.expand("../deps", __DIR__)}
  ]

config :tailwind,
  version: "3.4.0",
  inventory_web: [
    args: ~w(--config=tailwind.config.js --input=css/app.css --output=../priv/static/assets/app.css),
    cd: Path.expand("../assets", __DIR__)
  ]

config :phoenix, :json_library, Jason
