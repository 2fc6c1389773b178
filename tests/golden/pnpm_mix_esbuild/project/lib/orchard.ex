defmodule Orchard do
  @moduledoc "orchard"
end
