defmodule Ledger do
  @moduledoc "Books."
  def currency, do: Application.fetch_env!(:ledger, :currency)
end
