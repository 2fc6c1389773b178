defmodule Gateway.Listener do
  @moduledoc "Device telemetry over a line protocol on plain TCP."
  use Task, restart: :permanent

  def start_link(_), do: Task.start_link(__MODULE__, :listen, [])

  def listen do
    port = Application.fetch_env!(:gateway, :port)
    {:ok, socket} = :gen_tcp.listen(port, [:binary, packet: :line, reuseaddr: true])
    accept(socket)
  end

  defp accept(socket) do
    {:ok, client} = :gen_tcp.accept(socket)
    :gen_tcp.close(client)
    accept(socket)
  end
end
