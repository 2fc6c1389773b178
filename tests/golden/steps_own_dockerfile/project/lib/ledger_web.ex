defmodule LedgerWeb do
  @moduledoc false
end
