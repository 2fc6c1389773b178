import Config

if config_env() == :prod do
  port = String.to_integer(System.get_env("KIOSK_HTTP_PORT") || "8800")

  config :kiosk, KioskWeb.Endpoint, http: [port: port]
end
