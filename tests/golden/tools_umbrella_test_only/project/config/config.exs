import Config

config :ledger_web, LedgerWeb.Endpoint, url: [host: "localhost"], adapter: Bandit.PhoenixAdapter
