import Config

config :ledger_web, LedgerWeb.Endpoint, http: [port: 4002], server: false
