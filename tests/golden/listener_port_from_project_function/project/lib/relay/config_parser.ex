defmodule Relay.ConfigParser do
  @moduledoc "Reads settings from the environment at boot (config/runtime.exs)."

  def server_port(env) do
    String.to_integer(Map.get(env, "SERVER_PORT") || Map.get(env, "PORT") || "7376")
  end
end
