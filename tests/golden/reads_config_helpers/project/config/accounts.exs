defmodule Ledger.Config.Accounts do
  def all, do: [:cash, :bank]
end
