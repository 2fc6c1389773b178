use Mix.Config

config :logger, level: :info

# The operators keep the production credentials out of the repository.
import_config "prod.secret.exs"

# A developer's own overrides, when there are any.
if File.exists?(Path.join(__DIR__, "prod.local.exs")) do
  import_config "prod.local.exs"
end
