defmodule Relay.Metrics do
  @moduledoc false
  import Plug.Conn

  def init(opts), do: opts
  def call(conn, _opts), do: send_resp(conn, 200, "relay_up 1\n")
end
