defmodule Gazette do
  @moduledoc """
  Gazette keeps the contexts that define your domain
  and business logic.
  """
end
