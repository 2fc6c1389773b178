defmodule Fields.Application do
  @moduledoc false

  use Application

  @impl true
  def start(_type, _args) do
    children = [{Fields.Counter, name: Fields.Counter}]
    Supervisor.start_link(children, strategy: :one_for_one, name: Fields.Supervisor)
  end
end
