defmodule FleetOps.Repo do
  use Ecto.Repo,
    otp_app: :fleet_ops,
    adapter: Ecto.Adapters.Postgres
end
