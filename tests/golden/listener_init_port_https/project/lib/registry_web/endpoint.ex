defmodule RegistryWeb.Endpoint do
  use Phoenix.Endpoint, otp_app: :registry

  @doc "Reads the port at boot when the config says load_from_system_env."
  def init(_key, config) do
    if config[:load_from_system_env] do
      port = System.get_env("HEXPM_PORT") || raise "expected the HEXPM_PORT environment variable"
      {:ok, Keyword.put(config, :http, [:inet6, port: port])}
    else
      {:ok, config}
    end
  end
end
