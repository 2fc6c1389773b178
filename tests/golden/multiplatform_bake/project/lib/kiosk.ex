defmodule Kiosk do
  @moduledoc """
  Kiosk keeps the contexts that define your domain
  and business logic.
  """
end
