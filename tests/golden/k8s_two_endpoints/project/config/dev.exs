import Config

config :shop, ShopWeb.Endpoint, http: [ip: {127, 0, 0, 1}, port: 4000]
