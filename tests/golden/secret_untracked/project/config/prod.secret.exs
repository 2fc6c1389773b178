import Config

config :vault, secret_key_base: "local-only"
