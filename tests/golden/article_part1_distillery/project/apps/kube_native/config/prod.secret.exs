use Mix.Config

# Configure your database
config :kube_native, KubeNative.Repo,
  username: "postgres",
  password: "postgres",
  database: "kube_native_prod",
  pool_size: 15
