defmodule EmberBunWeb.Endpoint do
  use Phoenix.Endpoint, otp_app: :ember_bun

  plug Plug.Static, at: "/", from: :ember_bun, gzip: false, only: EmberBunWeb.static_paths()
end
