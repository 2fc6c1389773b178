defmodule KubeNativeWeb.Application do
  @moduledoc false

  use Application

  require Logger

  @impl true
  def start(_type, _args) do
    children = [
      KubeNativeWeb.Endpoint
    ]

    with {:ok, pid} <-
           Supervisor.start_link(children, strategy: :one_for_one, name: KubeNativeWeb.Supervisor) do
      Logger.info("KubeNativeWeb listening on port #{KubeNativeWeb.port()}")
      {:ok, pid}
    end
  end
end
