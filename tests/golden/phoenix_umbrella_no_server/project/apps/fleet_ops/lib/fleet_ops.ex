defmodule FleetOps do
  @moduledoc """
  FleetOps keeps the contexts that define your domain
  and business logic.
  """
end
