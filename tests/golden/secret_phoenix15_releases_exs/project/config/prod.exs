import Config

config :vault, level: :info

import_config "prod.secret.exs"
