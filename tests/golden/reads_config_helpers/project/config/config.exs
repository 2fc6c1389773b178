import Config

{settings, _} = Code.eval_file("helpers.exs")
Code.require_file("accounts.exs", __DIR__)

config :ledger, settings
config :ledger, accounts: Ledger.Config.Accounts.all()

import_config "#{config_env()}.exs"
