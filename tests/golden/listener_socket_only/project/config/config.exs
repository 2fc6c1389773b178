import Config

config :gateway, port: 7000
