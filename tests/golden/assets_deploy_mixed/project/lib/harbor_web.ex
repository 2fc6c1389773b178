defmodule HarborWeb do
  @moduledoc false
end
