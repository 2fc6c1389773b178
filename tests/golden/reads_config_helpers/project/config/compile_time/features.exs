import Config

config :ledger, :features, ledger_v2: false
