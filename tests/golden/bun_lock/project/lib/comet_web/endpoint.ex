defmodule CometWeb.Endpoint do
  use Phoenix.Endpoint, otp_app: :comet

  plug Plug.Static, at: "/", from: :comet, gzip: false, only: CometWeb.static_paths()
end
