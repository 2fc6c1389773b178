import Config

config :logger, level: :debug

config :kube_native_worker,
  interval_ms: 10_000
