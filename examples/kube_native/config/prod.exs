# Compile-time production configuration. Anything that must be read
# from the environment at boot belongs in config/runtime.exs instead.
import Config

config :logger, level: :info

config :kube_native_web,
  server_name: "kube_native"
