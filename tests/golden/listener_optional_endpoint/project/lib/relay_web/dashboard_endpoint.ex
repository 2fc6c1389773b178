defmodule RelayWeb.DashboardEndpoint do
  use Phoenix.Endpoint, otp_app: :relay
end
