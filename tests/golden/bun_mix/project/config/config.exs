import Config

config :ember_bun, EmberBunWeb.Endpoint,
  url: [host: "localhost"],
  pubsub_server: EmberBun.PubSub

config :bun,
  version: "1.1.22",
  assets: [args: [], cd: Path.expand("../assets", __DIR__)],
  js: [
    args: ~w(build js/app.js --outdir=../priv/static/assets --external /fonts/* --external /images/*),
    cd: Path.expand("../assets", __DIR__),
    env: %{"NODE_PATH" => Path.expand("../deps", __DIR__)}
  ],
  css: [
    args: ~w(run tailwindcss --input=css/app.css --output=../priv/static/assets/app.css),
    cd: Path.expand("../assets", __DIR__)
  ]

config :phoenix, :json_library, Jason

import_config "#{config_env()}.exs"
