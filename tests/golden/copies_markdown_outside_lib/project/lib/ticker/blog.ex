defmodule Ticker.Blog do
  # NimblePublisher reads every post while the module compiles.
  use NimblePublisher,
    build: Ticker.Blog.Post,
    from: "posts/**/*.md",
    as: :posts

  require EEx
  EEx.function_from_file(:def, :email, "templates/email.eex", [:name])

  def all, do: @posts
end
