defmodule Forum.Endpoint do
  use Phoenix.Endpoint, otp_app: :forum

  plug Plug.Static,
    at: "/", from: :forum, gzip: false,
    only: ~w(css fonts images js favicon.ico robots.txt)

  plug Forum.Router
end
