defmodule EmberBunWeb do
  @moduledoc false
end
