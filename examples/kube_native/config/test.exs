import Config

config :kube_native_web,
  port: 4002

# Keep the heartbeat quiet while testing.
config :kube_native_worker,
  interval_ms: 3_600_000

config :logger, level: :warning
