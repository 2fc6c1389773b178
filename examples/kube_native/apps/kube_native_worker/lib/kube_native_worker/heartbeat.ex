defmodule KubeNativeWorker.Heartbeat do
  @moduledoc """
  A periodic job: every `:interval_ms` milliseconds it records a
  `:heartbeats` event in the core app's `KubeNative.Stats`.
  """

  use GenServer

  require Logger

  @spec start_link(keyword()) :: GenServer.on_start()
  def start_link(opts) do
    GenServer.start_link(__MODULE__, opts, name: KubeNativeWorker.via(:heartbeat))
  end

  @doc "Number of beats since this process started."
  @spec beats() :: non_neg_integer()
  def beats, do: GenServer.call(KubeNativeWorker.via(:heartbeat), :beats)

  @impl true
  def init(opts) do
    interval = Keyword.fetch!(opts, :interval_ms)
    schedule(interval)
    {:ok, %{interval: interval, beats: 0}}
  end

  @impl true
  def handle_info(:beat, %{interval: interval, beats: beats} = state) do
    KubeNative.record(:heartbeats)
    Logger.debug("heartbeat ##{beats + 1}")
    schedule(interval)
    {:noreply, %{state | beats: beats + 1}}
  end

  @impl true
  def handle_call(:beats, _from, state), do: {:reply, state.beats, state}

  defp schedule(interval), do: Process.send_after(self(), :beat, interval)
end
