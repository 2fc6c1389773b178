defmodule Forum do
  use Application

  def start(_type, _args) do
    children = [Forum.Endpoint]
    Supervisor.start_link(children, strategy: :one_for_one, name: Forum.Supervisor)
  end
end
