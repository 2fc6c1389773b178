import Config

# We don't run a server during test. If one is required,
# you can enable the server option below.
config :ember, EmberWeb.Endpoint,
  http: [ip: {127, 0, 0, 1}, port: 4002],
  secret_key_base: "a26540464492f7a33850e8379aa518189944573c61aa173b894e525421f46993",
  server: false

# Print only warnings and errors during test
config :logger, level: :warn

# Initialize plugs at runtime for faster test compilation
config :phoenix, :plug_init_mode, :runtime
