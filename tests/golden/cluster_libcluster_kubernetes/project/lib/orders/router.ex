defmodule Orders.Router do
  use Plug.Router

  plug :match
  plug :dispatch

  get "/healthz" do
    send_resp(conn, 200, "ok")
  end

  get "/nodes" do
    send_resp(conn, 200, Enum.map_join(Node.list(), "\n", &to_string/1))
  end

  match _ do
    send_resp(conn, 404, "not found")
  end
end
