defmodule Store do
  def price, do: Shared.Money.format(1999)
end
