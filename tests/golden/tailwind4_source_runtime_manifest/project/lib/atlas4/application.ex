defmodule Atlas4.Application do
  @moduledoc false
  use Application

  @impl true
  def start(_type, _args) do
    children = [Atlas4Web.Endpoint]
    Supervisor.start_link(children, strategy: :one_for_one, name: Atlas4.Supervisor)
  end
end
