import Config
import System, only: [fetch_env!: 1]

if System.get_env("PHX_SERVER") do
  config :hello, HelloWeb.Endpoint, server: true
end

if config_env() == :dev do
  config :hello, :dev_only, System.get_env("DEV_ONLY_SETTING")
end

if config_env() == :prod do
  # Required, secret: no default, the boot stops without them.
  database_url =
    System.get_env("DATABASE_URL") ||
      raise """
      environment variable DATABASE_URL is missing.
      For example: ecto://USER:PASS@HOST/DATABASE
      """

  secret_key_base = System.fetch_env!("SECRET_KEY_BASE")

  # Required, not secret.
  bucket = fetch_env!("UPLOADS_BUCKET")

  # Defaulted, not secret.
  pool_size = String.to_integer(System.get_env("POOL_SIZE") || "10")
  log_level = System.get_env("LOG_LEVEL", "info")
  upload_limit_mb = "UPLOAD_LIMIT_MB" |> System.get_env("8") |> String.to_integer()
  maybe_ipv6 = if System.get_env("ECTO_IPV6") in ~w(true 1), do: [:inet6], else: []

  # Defaulted, secret-like: a URL whose default carries credentials.
  cache_url = System.get_env("CACHE_URL", "redis://default:changeme@cache:6379/0")

  # Optional, secret: only used when set.
  mailer_api_key = System.get_env("MAILER_API_KEY")

  config :hello, Hello.Repo,
    url: database_url,
    pool_size: pool_size,
    socket_options: maybe_ipv6

  config :logger, level: String.to_existing_atom(log_level)

  config :hello, :uploads, bucket: bucket, limit_mb: upload_limit_mb
  config :hello, :cache, url: cache_url
  config :hello, Hello.Mailer, api_key: mailer_api_key

  host = System.get_env("PHX_HOST") || "example.com"
  port = String.to_integer(System.get_env("PORT") || "4000")

  config :hello, HelloWeb.Endpoint,
    url: [host: host, port: 443, scheme: "https"],
    http: [ip: {0, 0, 0, 0, 0, 0, 0, 0}, port: port],
    secret_key_base: secret_key_base
end

# Other ways real projects test the environment (Hubs-Foundation/reticulum's `case config_env()`,
# mbta's `config_env() == :test and ...`, `in [...]`): prod reads none of these variables.
case config_env() do
  :dev -> config :hello, :dev_db_host, System.get_env("DEV_DB_HOST")
  :test -> config :hello, :test_db_host, System.fetch_env!("TEST_DB_HOST")
  _ -> :ok
end

if :test == config_env() and System.get_env("E2E") do
  config :hello, :e2e_url, System.get_env("E2E_URL")
end

config :hello, :mode, if(config_env() in [:dev, :test], do: System.get_env("MODE"), else: "release")
