defmodule Orchard.Application do
  @moduledoc false
  use Application

  @impl true
  def start(_type, _args) do
    children = [OrchardWeb.Endpoint]
    Supervisor.start_link(children, strategy: :one_for_one, name: Orchard.Supervisor)
  end
end
