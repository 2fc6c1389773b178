defmodule InventoryWeb.Application do
  # See https://hexdocs.pm/elixir/Application.html
  # for more information on OTP Applications
  @moduledoc false

  use Application

  @impl true
  def start(_type, _args) do
    children = [
      {Phoenix.PubSub, name: InventoryWeb.PubSub},
      InventoryWeb.Endpoint
    ]

    Supervisor.start_link(children, strategy: :one_for_one, name: InventoryWeb.Supervisor)
  end
end
