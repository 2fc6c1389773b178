defmodule BazaarAdmin.Endpoint do
  use Phoenix.Endpoint, otp_app: :bazaar_admin
end
