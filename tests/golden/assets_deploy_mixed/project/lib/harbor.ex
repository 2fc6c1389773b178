defmodule Harbor do
  @moduledoc "harbor"
end
