defmodule Ticker do
  @moduledoc """
  Documentation for `Ticker`.
  """
end
