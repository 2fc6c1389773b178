defmodule Shared.Money do
  @moduledoc "Shared by every app of the umbrella."
  def format(cents), do: "#{div(cents, 100)}.#{rem(cents, 100)}"
end
