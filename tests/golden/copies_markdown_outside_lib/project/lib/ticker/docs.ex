defmodule Ticker.Docs do
  # Markdown outside lib/ and priv/, read while the module compiles.
  @moduledoc File.read!("docs/cli.md")

  for name <- ~w(intro usage) do
    @external_resource "guides/#{name}.md"
  end

  @guides for name <- ~w(intro usage), into: %{}, do: {name, File.read!("guides/#{name}.md")}

  def guide(name), do: Map.fetch!(@guides, name)
end
