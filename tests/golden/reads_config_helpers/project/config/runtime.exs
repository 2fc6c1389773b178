import Config

# Files nested under config/, required at boot relative to the working directory.
Code.require_file("config/runtime/mailer.exs")

if config_env() == :prod do
  config :ledger, secret_key_base: System.fetch_env!("SECRET_KEY_BASE")
end
