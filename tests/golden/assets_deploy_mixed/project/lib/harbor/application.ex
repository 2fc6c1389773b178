defmodule Harbor.Application do
  @moduledoc false
  use Application

  @impl true
  def start(_type, _args) do
    children = [HarborWeb.Endpoint]
    Supervisor.start_link(children, strategy: :one_for_one, name: Harbor.Supervisor)
  end
end
