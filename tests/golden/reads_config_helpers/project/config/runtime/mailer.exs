import Config

config :ledger, :mailer, adapter: :smtp
