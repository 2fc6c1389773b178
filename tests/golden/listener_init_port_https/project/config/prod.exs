import Config

# The port is read at boot by RegistryWeb.Endpoint.init/2.
config :registry, RegistryWeb.Endpoint,
  http: [compress: true],
  load_from_system_env: true,
  server: true

# Mutual-TLS clients connect straight to the pod.
config :registry, RegistryWeb.SecureEndpoint,
  https: [
    port: 443,
    cipher_suite: :strong,
    certfile: "/etc/registry/tls/tls.crt",
    keyfile: "/etc/registry/tls/tls.key"
  ],
  server: true
