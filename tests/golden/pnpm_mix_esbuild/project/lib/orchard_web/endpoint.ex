defmodule OrchardWeb.Endpoint do
  use Phoenix.Endpoint, otp_app: :orchard

  plug Plug.Static, at: "/", from: :orchard, gzip: false, only: OrchardWeb.static_paths()
end
