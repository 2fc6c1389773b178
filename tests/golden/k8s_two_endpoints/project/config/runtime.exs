import Config

if System.get_env("PHX_SERVER") do
  config :shop, ShopWeb.Endpoint, server: true
  config :shop, ShopWeb.InternalEndpoint, server: true
end

if config_env() == :prod do
  config :shop, Shop.Repo,
    hostname: System.get_env("DATABASE_HOST", "localhost"),
    username: System.get_env("DATABASE_USER", "shop"),
    password: System.fetch_env!("DATABASE_PASSWORD"),
    database: "shop",
    pool_size: String.to_integer(System.get_env("POOL_SIZE") || "10")

  # As in the article's app: the public host comes from HOSTNAME.
  config :shop, ShopWeb.Endpoint,
    url: [host: System.get_env("HOSTNAME"), port: 443, scheme: "https"],
    http: [ip: {0, 0, 0, 0, 0, 0, 0, 0}, port: String.to_integer(System.get_env("PORT") || "4000")],
    https: [port: 4443, keyfile: "/etc/tls/tls.key", certfile: "/etc/tls/tls.crt"],
    secret_key_base: System.fetch_env!("SECRET_KEY_BASE")

  # Health checks and metrics on a port of their own, never behind the public ingress.
  config :shop, ShopWeb.InternalEndpoint,
    http: [ip: {0, 0, 0, 0}, port: String.to_integer(System.get_env("INTERNAL_PORT") || "9090")]

  if bucket = System.get_env("UPLOADS_BUCKET") do
    config :shop, :uploads, bucket: bucket, region: System.fetch_env!("AWS_REGION")
  end
end
