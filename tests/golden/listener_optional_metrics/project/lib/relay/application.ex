defmodule Relay.Application do
  @moduledoc false
  use Application

  @impl true
  def start(_type, _args) do
    children = [RelayWeb.Endpoint, metrics_server_spec()] |> Enum.reject(&is_nil/1)
    Supervisor.start_link(children, strategy: :one_for_one, name: Relay.Supervisor)
  end

  # Started only when config has a port: setting RELAY_METRICS_PORT switches it on.
  defp metrics_server_spec do
    if port = Application.get_env(:relay, :metrics_port) do
      {Bandit, plug: Relay.Metrics, port: port}
    end
  end
end
