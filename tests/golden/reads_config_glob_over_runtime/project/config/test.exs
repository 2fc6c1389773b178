import Config

config :transit, api_key: "test"
