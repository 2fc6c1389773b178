defmodule Ledger do
  @moduledoc "ledger"
end
