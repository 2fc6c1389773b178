defmodule BeaconUi.Application do
  @moduledoc false
  use Application

  @impl true
  def start(_type, _args) do
    children = [BeaconUiWeb.Endpoint]
    Supervisor.start_link(children, strategy: :one_for_one, name: BeaconUi.Supervisor)
  end
end
