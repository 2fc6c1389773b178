defmodule HarborWeb.Endpoint do
  use Phoenix.Endpoint, otp_app: :harbor

  plug Plug.Static, at: "/", from: :harbor, gzip: false, only: HarborWeb.static_paths()
end
