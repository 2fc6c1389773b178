defmodule KubeNativeWorker do
  @moduledoc """
  Background jobs of the KubeNative umbrella.

  Jobs register themselves in `KubeNativeWorker.Registry`, so they can be
  looked up by name with `whereis/1`.
  """

  @doc "Returns the pid of the job registered under `name`, or `nil`."
  @spec whereis(term()) :: pid() | nil
  def whereis(name) do
    case Registry.lookup(KubeNativeWorker.Registry, name) do
      [{pid, _value}] -> pid
      [] -> nil
    end
  end

  @doc false
  def via(name), do: {:via, Registry, {KubeNativeWorker.Registry, name}}
end
