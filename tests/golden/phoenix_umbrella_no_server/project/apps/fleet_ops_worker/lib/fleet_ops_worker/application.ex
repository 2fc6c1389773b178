defmodule FleetOpsWorker.Application do
  # See https://hexdocs.pm/elixir/Application.html
  # for more information on OTP Applications
  @moduledoc false

  use Application

  @impl true
  def start(_type, _args) do
    children = [
      {Oban, Application.fetch_env!(:fleet_ops_worker, Oban)}
    ]

    Supervisor.start_link(children, strategy: :one_for_one, name: FleetOpsWorker.Supervisor)
  end
end
