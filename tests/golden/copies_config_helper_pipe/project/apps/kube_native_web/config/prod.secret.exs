use Mix.Config

# Committed on purpose: no literal secret lives here, Distillery
# substitutes "${SECRET_KEY_BASE}" from the environment at boot.
config :kube_native_web, KubeNativeWeb.Endpoint,
  secret_key_base: "${SECRET_KEY_BASE}"
