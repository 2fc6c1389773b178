defmodule InventoryWeb.Endpoint do
  use Phoenix.Endpoint, otp_app: :inventory_web

  plug Plug.Static, at: "/", from: :inventory_web, gzip: false, only: ~w(assets favicon.ico robots.txt)
  plug Plug.RequestId
  plug InventoryWeb.Router
end
