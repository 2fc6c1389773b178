defmodule FleetOps.Application do
  # See https://hexdocs.pm/elixir/Application.html
  # for more information on OTP Applications
  @moduledoc false

  use Application

  @impl true
  def start(_type, _args) do
    children = [
      FleetOps.Repo,
      {DNSCluster, query: Application.get_env(:fleet_ops, :dns_cluster_query) || :ignore},
      {Phoenix.PubSub, name: FleetOps.PubSub}
    ]

    Supervisor.start_link(children, strategy: :one_for_one, name: FleetOps.Supervisor)
  end
end
