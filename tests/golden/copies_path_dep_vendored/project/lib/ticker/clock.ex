defmodule Ticker.Clock do
  @moduledoc "Logs a tick every `:interval` milliseconds."
  use GenServer
  require Logger

  def start_link(opts), do: GenServer.start_link(__MODULE__, opts, name: __MODULE__)

  @impl true
  def init(opts) do
    interval = Keyword.fetch!(opts, :interval)
    schedule(interval)
    {:ok, %{interval: interval, ticks: 0}}
  end

  @impl true
  def handle_info(:tick, %{interval: interval, ticks: n} = state) do
    Logger.info("tick #{n + 1}")
    schedule(interval)
    {:noreply, %{state | ticks: n + 1}}
  end

  defp schedule(interval), do: Process.send_after(self(), :tick, interval)
end
