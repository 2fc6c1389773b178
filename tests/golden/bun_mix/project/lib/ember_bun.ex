defmodule EmberBun do
  @moduledoc "ember_bun"
end
