defmodule Quill.Application do
  @moduledoc false
  use Application

  @impl true
  def start(_type, _args) do
    children = [QuillWeb.Endpoint]
    Supervisor.start_link(children, strategy: :one_for_one, name: Quill.Supervisor)
  end
end
