import Config

config :orchard, OrchardWeb.Endpoint,
  url: [host: "localhost"],
  pubsub_server: Orchard.PubSub

config :esbuild,
  version: "0.21.5",
  orchard: [
    args: ~w(js/app.js --bundle --target=es2017 --outdir=../priv/static/assets),
    cd: Path.expand("../assets", __DIR__),
    env: %{"NODE_PATH" => Enum.join([Path.expand("../deps", __DIR__), Path.expand("../assets/node_modules", __DIR__)], ":")}
  ]

config :phoenix, :json_library, Jason

import_config "#{config_env()}.exs"
