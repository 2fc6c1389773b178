defmodule Relay.Application do
  @moduledoc false
  use Application

  @impl true
  def start(_type, _args) do
    Supervisor.start_link([RelayWeb.Endpoint], strategy: :one_for_one, name: Relay.Supervisor)
  end
end
