defmodule RealtimeLite.Router do
  use Plug.Router

  plug :match
  plug :dispatch

  get "/api/health" do
    send_resp(conn, 200, "ok")
  end

  match _ do
    send_resp(conn, 404, "")
  end
end
