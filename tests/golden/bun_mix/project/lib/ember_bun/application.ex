defmodule EmberBun.Application do
  @moduledoc false
  use Application

  @impl true
  def start(_type, _args) do
    children = [EmberBunWeb.Endpoint]
    Supervisor.start_link(children, strategy: :one_for_one, name: EmberBun.Supervisor)
  end
end
