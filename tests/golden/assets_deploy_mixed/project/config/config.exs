import Config

config :harbor, HarborWeb.Endpoint,
  url: [host: "localhost"],
  pubsub_server: Harbor.PubSub

config :esbuild,
  version: "0.17.11",
  path: System.get_env("MIX_ESBUILD_PATH"),
  harbor: [
    args: ~w(js/app.js --bundle --target=es2017 --outdir=../priv/static/assets --external:/fonts/*),
    cd: Path.expand("../assets", __DIR__),
    env: %{"NODE_PATH" => Path.expand("../deps", __DIR__)}
  ]

config :tailwind,
  version: "3.4.3",
  harbor: [
    args: ~w(--config=tailwind.config.js --input=css/app.css --output=../priv/static/assets/app.css),
    cd: Path.expand("../assets", __DIR__)
  ]

config :phoenix, :json_library, Jason

import_config "#{config_env()}.exs"
