defmodule Atlas4Web.Endpoint do
  use Phoenix.Endpoint, otp_app: :atlas4

  plug Plug.Static, at: "/", from: :atlas4, gzip: false, only: Atlas4Web.static_paths()
end
