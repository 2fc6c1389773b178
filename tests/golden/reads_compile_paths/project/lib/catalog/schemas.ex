defmodule Catalog.Schemas do
  @moduledoc "JSON schemas compiled in from a folder at the project root."

  @paths Path.wildcard("schemas/*.json")
  for path <- @paths, do: @external_resource(path)

  @schemas Map.new(@paths, fn path -> {Path.basename(path, ".json"), File.read!(path)} end)

  def get(name), do: Map.fetch!(@schemas, name)
end
