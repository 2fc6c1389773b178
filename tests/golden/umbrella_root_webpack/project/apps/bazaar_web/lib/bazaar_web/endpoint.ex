defmodule BazaarWeb.Endpoint do
  use Phoenix.Endpoint, otp_app: :bazaar_web
end
