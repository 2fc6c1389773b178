defmodule KubeNative.Application do
  @moduledoc false

  use Application

  @impl true
  def start(_type, _args) do
    children = [
      KubeNative.Stats
    ]

    Supervisor.start_link(children, strategy: :one_for_one, name: KubeNative.Supervisor)
  end
end
