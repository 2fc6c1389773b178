import Config

config :ledger, :mailer, adapter: :smtp, relay: System.get_env("SMTP_RELAY", "localhost")
