defmodule Shop.Catalog do
  @moduledoc "The Catalog context."
  import Ecto.Query, warn: false
  alias Shop.Repo

  def list_products(schema), do: Repo.all(from(p in schema, order_by: p.name))
end
