defmodule KubeNativeWeb do
  @moduledoc """
  The HTTP front of the KubeNative umbrella.

  There is no Phoenix here: requests are served by OTP's `:inets` httpd,
  started under `KubeNativeWeb.Supervisor` by `KubeNativeWeb.Endpoint`,
  with `KubeNativeWeb.Router` as its only request-handling module.
  """

  @doc "Directory the static files (`priv/static`) are served from."
  @spec static_dir() :: Path.t()
  def static_dir, do: Application.app_dir(:kube_native_web, "priv/static")

  @doc "TCP port the endpoint listens on."
  @spec port() :: :inet.port_number()
  def port, do: Application.fetch_env!(:kube_native_web, :port)
end
