# This file is responsible for configuring your umbrella and **all
# applications** and their dependencies at compile time.
#
# Runtime configuration (PORT, GREETING, ...) lives in config/runtime.exs.
import Config

config :kube_native,
  greeting: "Hello"

config :kube_native_web,
  port: 4000

config :kube_native_worker,
  interval_ms: 30_000

config :logger, :console,
  format: "$time $metadata[$level] $message\n",
  metadata: [:request_id]

# Import environment specific config. This must remain at the bottom
# of this file so it overrides the configuration defined above.
import_config "#{config_env()}.exs"
