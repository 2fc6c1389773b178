defmodule FleetOpsWeb.Application do
  # See https://hexdocs.pm/elixir/Application.html
  # for more information on OTP Applications
  @moduledoc false

  use Application

  @impl true
  def start(_type, _args) do
    children = [
      FleetOpsWeb.Telemetry,
      # Start to serve requests, typically the last entry
      FleetOpsWeb.Endpoint
    ]

    Supervisor.start_link(children, strategy: :one_for_one, name: FleetOpsWeb.Supervisor)
  end
end
