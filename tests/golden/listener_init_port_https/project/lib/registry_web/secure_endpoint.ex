defmodule RegistryWeb.SecureEndpoint do
  use Phoenix.Endpoint, otp_app: :registry
end
