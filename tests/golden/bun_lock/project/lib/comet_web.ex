defmodule CometWeb do
  @moduledoc false
end
