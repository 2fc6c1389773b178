defmodule Ledger.Application do
  use Application

  @impl true
  def start(_type, _args) do
    Supervisor.start_link([LedgerWeb.Endpoint], strategy: :one_for_one, name: Ledger.Supervisor)
  end
end
