import Config

config :clipper, port: String.to_integer(System.get_env("PORT") || "8080")
