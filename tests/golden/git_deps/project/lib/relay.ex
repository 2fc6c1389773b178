defmodule Relay do
  @moduledoc """
  Documentation for `Relay`.
  """
end
