defmodule Site do
  @moduledoc "Pages whose text is read when the release runs."

  # Relative to the working directory: the umbrella root in development, /app in the image.
  def home, do: File.read!("content/home.toml")

  def page(name), do: File.read!(Path.join("content", name <> ".toml"))
end
