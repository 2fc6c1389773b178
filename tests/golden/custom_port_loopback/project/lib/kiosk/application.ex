defmodule Kiosk.Application do
  use Application

  @impl true
  def start(_type, _args) do
    Supervisor.start_link([KioskWeb.Endpoint], strategy: :one_for_one, name: Kiosk.Supervisor)
  end
end
