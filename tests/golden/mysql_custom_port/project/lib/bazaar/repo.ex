defmodule Bazaar.Repo do
  use Ecto.Repo,
    otp_app: :bazaar,
    adapter: Ecto.Adapters.MyXQL
end
