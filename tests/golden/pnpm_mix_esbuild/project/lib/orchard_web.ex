defmodule OrchardWeb do
  @moduledoc false
end
