defmodule LedgerWeb.Application do
  @moduledoc false
  use Application

  @impl true
  def start(_type, _args) do
    Supervisor.start_link([LedgerWeb.Endpoint], strategy: :one_for_one, name: LedgerWeb.Supervisor)
  end
end
