defmodule Relay.Application do
  @moduledoc false
  use Application

  @impl true
  def start(_type, _args) do
    children = [Relay.Munin, RelayWeb.Endpoint]
    Supervisor.start_link(children, strategy: :one_for_one, name: Relay.Supervisor)
  end
end
