defmodule HelloWeb.HealthController do
  use HelloWeb, :controller

  def show(conn, _params), do: send_resp(conn, 200, "ok")
end
