import Config

if config_env() == :prod do
  config :orders, port: String.to_integer(System.get_env("PORT") || "8080")

  config :libcluster,
    topologies: [
      k8s: [
        strategy: Cluster.Strategy.Kubernetes,
        config: [
          kubernetes_selector: System.fetch_env!("LIBCLUSTER_SELECTOR"),
          kubernetes_node_basename: "orders",
          kubernetes_ip_lookup_mode: :pods,
          polling_interval: 10_000
        ]
      ]
    ]
end
