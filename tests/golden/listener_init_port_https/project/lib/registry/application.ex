defmodule Registry.Application do
  @moduledoc false
  use Application

  @impl true
  def start(_type, _args) do
    children = [RegistryWeb.Endpoint, RegistryWeb.SecureEndpoint]
    Supervisor.start_link(children, strategy: :one_for_one, name: Registry.Supervisor)
  end
end
