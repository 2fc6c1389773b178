defmodule HelloWeb.Router do
  use HelloWeb, :router

  pipeline :browser do
    plug :accepts, ["html"]
    plug :fetch_session
    plug :fetch_live_flash
    plug :put_root_layout, html: {HelloWeb.Layouts, :root}
    plug :protect_from_forgery
    plug :put_secure_browser_headers
  end

  pipeline :api do
    plug :accepts, ["json"]
  end

  scope "/_internal", HelloWeb do
    pipe_through :api

    get "/healthz", HealthController, :show
  end

  scope "/", HelloWeb do
    pipe_through :browser

    get "/", PageController, :home
  end
end
