import Config

config :realtime_lite, port: 4000
