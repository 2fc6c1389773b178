defmodule KubeNativeWorker.Application do
  @moduledoc false

  use Application

  @impl true
  def start(_type, _args) do
    children = [
      {Registry, keys: :unique, name: KubeNativeWorker.Registry},
      {KubeNativeWorker.Heartbeat,
       interval_ms: Application.fetch_env!(:kube_native_worker, :interval_ms)}
    ]

    Supervisor.start_link(children, strategy: :rest_for_one, name: KubeNativeWorker.Supervisor)
  end
end
