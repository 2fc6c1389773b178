import Config

config :orders, port: 8080

if config_env() == :dev do
  config :libcluster, topologies: [local: [strategy: Cluster.Strategy.Gossip]]
end
