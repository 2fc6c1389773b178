import Config

{settings, _} = Code.eval_file("helpers.exs")
Code.require_file("accounts.exs", __DIR__)

config :ledger, settings
config :ledger, accounts: Ledger.Config.Accounts.all()

# Every file of a folder, found from the working directory.
for file <- Path.wildcard(Path.join([File.cwd!(), "config", "compile_time", "*.exs"])) do
  import_config(file)
end

import_config "#{config_env()}.exs"
