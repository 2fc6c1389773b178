defmodule DNSCluster.MixProject do
  use Mix.Project

  def project do
    [app: :dns_cluster, version: "0.1.3", elixir: "~> 1.11", deps: []]
  end

  def application, do: [extra_applications: [:logger]]
end
