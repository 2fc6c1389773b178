defmodule Atlas4 do
  @moduledoc "atlas4"
end
