defmodule Pinger.Probe do
  @moduledoc "Polls a URL and logs its status as JSON."
  use GenServer
  require Logger

  def start_link(opts), do: GenServer.start_link(__MODULE__, opts, name: __MODULE__)

  @impl true
  def init(opts) do
    send(self(), :probe)
    {:ok, Map.new(opts)}
  end

  @impl true
  def handle_info(:probe, %{url: url} = state) do
    status =
      case Finch.build(:get, url) |> Finch.request(Pinger.Finch) do
        {:ok, %Finch.Response{status: s}} -> s
        {:error, e} -> inspect(e)
      end

    Logger.info(Jason.encode!(%{url: url, status: status}))
    Process.send_after(self(), :probe, 30_000)
    {:noreply, state}
  end
end
