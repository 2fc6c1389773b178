import Config

# Committed: no secret in here, only settings that used to live in it.
config :ledger, audit: true
