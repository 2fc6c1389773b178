import Config

# Behind a sidecar proxy on the same host: loopback only.
config :kiosk, KioskWeb.Endpoint, http: [ip: {127, 0, 0, 1}], server: true
