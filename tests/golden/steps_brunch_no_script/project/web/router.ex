defmodule Forum.Router do
  use Forum.Web, :router

  get "/", Forum.PageController, :index
end
