defmodule Gazette.Repo do
  use Ecto.Repo,
    otp_app: :gazette,
    adapter: Ecto.Adapters.Postgres
end
