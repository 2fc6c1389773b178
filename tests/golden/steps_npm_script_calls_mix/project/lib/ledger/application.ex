defmodule Ledger.Application do
  @moduledoc false
  use Application

  @impl true
  def start(_type, _args) do
    children = [LedgerWeb.Endpoint]
    Supervisor.start_link(children, strategy: :one_for_one, name: Ledger.Supervisor)
  end
end
