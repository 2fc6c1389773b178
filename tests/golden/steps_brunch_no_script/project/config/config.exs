use Mix.Config

config :forum, Forum.Endpoint,
  url: [host: "localhost"],
  render_errors: [view: Forum.ErrorView, accepts: ~w(html json)],
  pubsub: [name: Forum.PubSub, adapter: Phoenix.PubSub.PG2]

import_config "#{Mix.env}.exs"
