defmodule Catalog do
  @external_resource "CATALOG.md"
  @moduledoc File.read!("CATALOG.md")

  @products_dir "priv/data/products"

  for path <- Path.wildcard(Path.join(@products_dir, "*.json")) do
    @external_resource path
  end

  @skus @products_dir |> Path.join("*.json") |> Path.wildcard() |> Enum.map(&Path.basename/1)

  # Decided by whoever builds: kubenative cannot know which file this is.
  @extra File.read!(System.get_env("CATALOG_EXTRA", "extra.txt"))

  def skus, do: @skus
  def extra, do: @extra

  # Read at run time from a path the caller gives: the app's business, not the image's.
  def import!(path), do: File.read!(path)
end
