defmodule QuillWeb.Endpoint do
  use Phoenix.Endpoint, otp_app: :quill

  plug Plug.Static, at: "/", from: :quill, gzip: false, only: QuillWeb.static_paths()
end
