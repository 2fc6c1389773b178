defmodule LedgerWeb.Endpoint do
  use Phoenix.Endpoint, otp_app: :ledger

  plug Plug.Static, at: "/", from: :ledger, gzip: false, only: LedgerWeb.static_paths()
end
