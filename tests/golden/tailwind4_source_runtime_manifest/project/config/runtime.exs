import Config

if config_env() == :prod do
  config :atlas4, Atlas4Web.Endpoint,
    http: [ip: {0, 0, 0, 0}, port: String.to_integer(System.get_env("PORT", "4000"))],
    cache_static_manifest: "priv/static/cache_manifest.json",
    server: true
end
