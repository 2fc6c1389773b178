defmodule BeaconUiWeb.Endpoint do
  use Phoenix.Endpoint, otp_app: :beacon_ui

  plug Plug.Static, at: "/", from: :beacon_ui, gzip: false, only: BeaconUiWeb.static_paths()
end
