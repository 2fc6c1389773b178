import Config

config :bazaar_web, BazaarWeb.Endpoint,
  http: [port: String.to_integer(System.get_env("PORT") || "4000")],
  cache_static_manifest: "priv/static/cache_manifest.json",
  server: true

config :bazaar_admin, BazaarAdmin.Endpoint,
  http: [port: String.to_integer(System.get_env("ADMIN_PORT") || "4001")],
  cache_static_manifest: "priv/static/cache_manifest.json",
  server: true
