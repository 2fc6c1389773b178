use Mix.Config

# Configure your database
config :kube_native, KubeNative.Repo,
  username: "postgres",
  password: "postgres",
  database: "kube_native_test",
  hostname: "localhost",
  pool: Ecto.Adapters.SQL.Sandbox
