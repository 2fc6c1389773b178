defmodule Clipper.Application do
  use Application

  @impl true
  def start(_type, _args) do
    port = Application.fetch_env!(:clipper, :port)
    children = [{Bandit, plug: Clipper.Router, port: port}]
    Supervisor.start_link(children, strategy: :one_for_one, name: Clipper.Supervisor)
  end
end
