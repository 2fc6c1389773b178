defmodule Catalog.Regions do
  @moduledoc "Generated: the regions table, compiled from the JSON next to it."

  @external_resource Path.join(__DIR__, "regions.json")
  @regions File.read!(Path.join(__DIR__, "regions.json"))

  def raw, do: @regions
end
