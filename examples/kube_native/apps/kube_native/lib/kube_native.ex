defmodule KubeNative do
  @moduledoc """
  The core of the KubeNative umbrella: business logic shared by the web
  and worker applications.
  """

  @doc """
  The greeting served by `GET /`.

  The first word comes from the `:greeting` setting of the `:kube_native`
  application (the `GREETING` environment variable in releases, default
  `"Hello"`).

      iex> Application.put_env(:kube_native, :greeting, "Hello")
      iex> KubeNative.greeting()
      "Hello from KubeNative!"
  """
  @spec greeting() :: String.t()
  def greeting do
    "#{Application.get_env(:kube_native, :greeting, "Hello")} from KubeNative!"
  end

  @doc "Records that `event` happened once more. See `KubeNative.Stats`."
  @spec record(atom()) :: :ok
  defdelegate record(event), to: KubeNative.Stats

  @doc "Returns the event counters. See `KubeNative.Stats`."
  @spec stats() :: %{optional(atom()) => non_neg_integer()}
  defdelegate stats(), to: KubeNative.Stats, as: :all
end
