defmodule FleetOpsWeb.Endpoint do
  use Phoenix.Endpoint, otp_app: :fleet_ops_web

  @session_options [
    store: :cookie,
    key: "_fleet_ops_web_key",
    signing_salt: "2d8359de",
    same_site: "Lax"
  ]

  socket "/live", Phoenix.LiveView.Socket,
    websocket: [connect_info: [session: @session_options]],
    longpoll: [connect_info: [session: @session_options]]

  plug Plug.Static,
    at: "/",
    from: :fleet_ops_web,
    gzip: false,
    only: FleetOpsWeb.static_paths()

  plug Plug.RequestId
  plug Plug.Telemetry, event_prefix: [:phoenix, :endpoint]

  plug Plug.Parsers,
    parsers: [:urlencoded, :multipart, :json],
    pass: ["*/*"],
    json_decoder: Phoenix.json_library()

  plug Plug.MethodOverride
  plug Plug.Head
  plug Plug.Session, @session_options
  plug FleetOpsWeb.Router
end
