import Config

config :fastmath, port: 4000
