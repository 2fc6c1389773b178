import Config

config :kube_native_web, extra: true
