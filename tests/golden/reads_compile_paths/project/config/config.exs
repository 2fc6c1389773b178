import Config

config :catalog, currency: "EUR"
