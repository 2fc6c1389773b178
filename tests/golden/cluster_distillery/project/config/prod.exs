use Mix.Config

# REPLACE_OS_VARS=true: Distillery fills "${VAR}" from the environment when the release boots.
config :libcluster,
  topologies: [
    k8s: [
      strategy: Cluster.Strategy.Kubernetes.DNS,
      config: [
        service: "${CLUSTER_SERVICE}",
        application_name: "ledger",
        polling_interval: 10_000
      ]
    ]
  ]
