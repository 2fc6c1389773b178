defmodule Ticker.Pages do
  # The pages come from content/, which git ignores: `make content` clones it.
  use NimblePublisher,
    build: Ticker.Pages.Page,
    from: "content/**/*.md",
    as: :pages

  def all, do: @pages

  # Uploads are the app's own data, written at run time: no warning for them.
  def save(name, data), do: File.write!(Path.join("uploads", name), data)
  def load(name), do: File.read!(Path.join("uploads", name))
end
