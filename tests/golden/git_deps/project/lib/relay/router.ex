defmodule Relay.Router do
  @moduledoc "Accepts webhooks and relays them downstream with retries."
  use Plug.Router

  plug Plug.Parsers, parsers: [:json], json_decoder: Jason
  plug :match
  plug :dispatch

  post "/hooks/:source" do
    id = ExULID.ULID.generate()
    send_resp(conn, 202, Jason.encode!(%{id: id, source: source}))
  end

  match _ do
    send_resp(conn, 404, "not found")
  end
end
