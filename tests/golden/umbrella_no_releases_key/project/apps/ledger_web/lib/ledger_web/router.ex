defmodule LedgerWeb.Router do
  use Phoenix.Router

  pipeline :api do
    plug :accepts, ["json"]
  end

  scope "/api", LedgerWeb do
    pipe_through :api
    get "/balances/:account", BalanceController, :show
  end
end
