defmodule Badge do
  @moduledoc "Badges with a hit count, rendered from an SVG template read when asked for."

  # dwyl/hits-elixir's shape: data beside the code under lib/, read by a relative path at
  # boot (the release's working directory stands for the project root).
  def template, do: File.read!("./lib/template.svg")

  def render(count), do: String.replace(template(), "{count}", Integer.to_string(count))
end
