defmodule InventoryCore.Repo do
  use Ecto.Repo, otp_app: :inventory_core, adapter: Ecto.Adapters.Postgres
end
