defmodule LedgerWeb.Endpoint do
  use Phoenix.Endpoint, otp_app: :ledger_web

  plug Plug.RequestId
  plug Plug.Parsers, parsers: [:json], pass: ["application/json"], json_decoder: Jason
  plug LedgerWeb.Router
end
