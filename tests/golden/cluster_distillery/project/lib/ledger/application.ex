defmodule Ledger.Application do
  @moduledoc false
  use Application

  def start(_type, _args) do
    port =
      case Application.fetch_env!(:ledger, :port) do
        {:system, var} -> String.to_integer(System.get_env(var) || "4000")
        port -> port
      end

    children = [
      {Cluster.Supervisor, [Application.get_env(:libcluster, :topologies), [name: Ledger.ClusterSupervisor]]},
      {Plug.Cowboy, scheme: :http, plug: Ledger.Router, options: [port: port]}
    ]

    Supervisor.start_link(children, strategy: :one_for_one, name: Ledger.Supervisor)
  end
end
