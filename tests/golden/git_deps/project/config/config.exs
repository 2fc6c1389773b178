import Config

config :relay, downstream_url: "http://localhost:9000"
