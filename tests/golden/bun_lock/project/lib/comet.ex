defmodule Comet do
  @moduledoc "comet"
end
