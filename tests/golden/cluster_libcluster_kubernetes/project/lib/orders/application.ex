defmodule Orders.Application do
  @moduledoc false
  use Application

  @impl true
  def start(_type, _args) do
    topologies = Application.get_env(:libcluster, :topologies, [])

    children = [
      {Cluster.Supervisor, [topologies, [name: Orders.ClusterSupervisor]]},
      {Bandit, plug: Orders.Router, port: Application.fetch_env!(:orders, :port)}
    ]

    Supervisor.start_link(children, strategy: :one_for_one, name: Orders.Supervisor)
  end
end
