defmodule LedgerWeb.Endpoint do
  use Phoenix.Endpoint, otp_app: :ledger_web
end
