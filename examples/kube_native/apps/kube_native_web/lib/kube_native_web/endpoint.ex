defmodule KubeNativeWeb.Endpoint do
  @moduledoc """
  Runs an `:inets` httpd instance as a child of our own supervision tree.

  The instance is started `:stand_alone`, i.e. linked to (and supervised
  by) `KubeNativeWeb.Supervisor` rather than by the `:inets` application.
  """

  @spec child_spec(term()) :: Supervisor.child_spec()
  def child_spec(_arg) do
    %{
      id: __MODULE__,
      start: {__MODULE__, :start_link, []},
      type: :supervisor
    }
  end

  @spec start_link() :: {:ok, pid()} | {:error, term()}
  def start_link do
    :inets.start(:httpd, httpd_config(), :stand_alone)
  end

  @doc false
  def httpd_config do
    [
      port: KubeNativeWeb.port(),
      bind_address: :any,
      ipfamily: :inet,
      server_name: to_charlist(Application.get_env(:kube_native_web, :server_name, "localhost")),
      server_root: to_charlist(Application.app_dir(:kube_native_web, "priv")),
      document_root: to_charlist(KubeNativeWeb.static_dir()),
      modules: [KubeNativeWeb.Router],
      keep_alive: true,
      max_clients: 1000
    ]
  end
end
