import Config

config :site, greeting: "hi"
