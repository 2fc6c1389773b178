defmodule Relay.Munin do
  @moduledoc "A munin node: answers `fetch`/`list` over plain TCP."
  use Task, restart: :permanent

  def start_link(_), do: Task.start_link(__MODULE__, :listen, [])

  def listen do
    opts = Application.fetch_env!(:relay, :munin)
    {:ok, socket} = :gen_tcp.listen(opts[:port], [:binary, ip: opts[:ip], reuseaddr: true])
    accept(socket)
  end

  defp accept(socket) do
    {:ok, client} = :gen_tcp.accept(socket)
    :gen_tcp.send(client, "# munin node at relay\n")
    :gen_tcp.close(client)
    accept(socket)
  end
end
