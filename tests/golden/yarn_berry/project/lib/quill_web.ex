defmodule QuillWeb do
  @moduledoc false
end
