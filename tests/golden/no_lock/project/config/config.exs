import Config

config :logger, :console, format: "$message\n"
