import Config

config :ledger_web, LedgerWeb.Endpoint, http: [port: 4000], code_reloader: true
