defmodule ShopWeb.InternalEndpoint do
  use Phoenix.Endpoint, otp_app: :shop

  plug ShopWeb.InternalRouter
end
