use Mix.Config

# This file is committed on purpose: it holds no secret, only
# "${VAR}" placeholders that Distillery replaces from the pod's
# environment at boot (REPLACE_OS_VARS=true).
config :kube_native, KubeNative.Repo,
  username: "${DB_USERNAME}",
  password: "${DB_PASSWORD}",
  database: "${DB_NAME}",
  hostname: "${DB_HOSTNAME}",
  pool_size: 15
