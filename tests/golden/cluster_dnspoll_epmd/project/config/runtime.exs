import Config

app_name = System.get_env("APP_NAME", "")
dns_nodes = System.get_env("DNS_NODES")

if config_env() == :prod do
  config :realtime_lite, port: String.to_integer(System.get_env("PORT") || "4000")

  config :libcluster,
    topologies: [
      dns: [
        strategy: Cluster.Strategy.DNSPoll,
        config: [polling_interval: 5_000, query: dns_nodes, node_basename: app_name]
      ]
    ]
end
