import Config

config :kiosk, KioskWeb.Endpoint, http: [ip: {127, 0, 0, 1}, port: 4000]
