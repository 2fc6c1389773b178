defmodule ShopWeb.InternalRouter do
  use Phoenix.Router

  get "/healthz", ShopWeb.HealthController, :show
  get "/metrics", ShopWeb.MetricsController, :show
end
