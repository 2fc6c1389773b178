# Evaluated at boot (for releases: every time the release starts), after
# the application code has been compiled. Read the environment here.
import Config

if config_env() != :test do
  config :kube_native_web,
    port: String.to_integer(System.get_env("PORT", "4000"))

  config :kube_native,
    greeting: System.get_env("GREETING", "Hello")
end

if interval = System.get_env("HEARTBEAT_INTERVAL_MS") do
  config :kube_native_worker,
    interval_ms: String.to_integer(interval)
end
