defmodule KubeNative.Stats do
  @moduledoc """
  A tiny in-memory event counter (requests served, heartbeats, ...).
  """

  use GenServer

  @spec start_link(keyword()) :: GenServer.on_start()
  def start_link(opts \\ []) do
    GenServer.start_link(__MODULE__, %{}, Keyword.put_new(opts, :name, __MODULE__))
  end

  @spec record(atom()) :: :ok
  def record(event) when is_atom(event), do: GenServer.cast(__MODULE__, {:record, event})

  @spec all() :: %{optional(atom()) => non_neg_integer()}
  def all, do: GenServer.call(__MODULE__, :all)

  @impl true
  def init(counters), do: {:ok, counters}

  @impl true
  def handle_cast({:record, event}, counters) do
    {:noreply, Map.update(counters, event, 1, &(&1 + 1))}
  end

  @impl true
  def handle_call(:all, _from, counters), do: {:reply, counters, counters}
end
