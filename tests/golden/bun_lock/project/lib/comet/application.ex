defmodule Comet.Application do
  @moduledoc false
  use Application

  @impl true
  def start(_type, _args) do
    children = [CometWeb.Endpoint]
    Supervisor.start_link(children, strategy: :one_for_one, name: Comet.Supervisor)
  end
end
