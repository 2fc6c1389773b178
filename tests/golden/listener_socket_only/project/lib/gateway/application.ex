defmodule Gateway.Application do
  @moduledoc false
  use Application

  @impl true
  def start(_type, _args) do
    Supervisor.start_link([Gateway.Listener], strategy: :one_for_one, name: Gateway.Supervisor)
  end
end
