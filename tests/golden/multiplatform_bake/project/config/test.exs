import Config

# We don't run a server during test. If one is required,
# you can enable the server option below.
config :kiosk, KioskWeb.Endpoint,
  http: [ip: {127, 0, 0, 1}, port: 4002],
  secret_key_base: "178b05169f88892ffa14fcc49a02b073c75d7737ad44ade165d2c9693db32f69",
  server: false

# Print only warnings and errors during test
config :logger, level: :warn

# Initialize plugs at runtime for faster test compilation
config :phoenix, :plug_init_mode, :runtime
