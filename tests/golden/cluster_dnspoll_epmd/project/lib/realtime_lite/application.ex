defmodule RealtimeLite.Application do
  @moduledoc false
  use Application

  def start(_type, _args) do
    topologies = Application.get_env(:libcluster, :topologies) || []

    children = [
      {Cluster.Supervisor, [topologies, [name: RealtimeLite.ClusterSupervisor]]},
      {Plug.Cowboy,
       scheme: :http,
       plug: RealtimeLite.Router,
       options: [port: Application.fetch_env!(:realtime_lite, :port)]}
    ]

    Supervisor.start_link(children, strategy: :one_for_one, name: RealtimeLite.Supervisor)
  end
end
