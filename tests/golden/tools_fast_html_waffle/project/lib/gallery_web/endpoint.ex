defmodule GalleryWeb.Endpoint do
  use Phoenix.Endpoint, otp_app: :gallery
end
