import Config

config :gateway, port: String.to_integer(System.get_env("GATEWAY_PORT", "7000"))
