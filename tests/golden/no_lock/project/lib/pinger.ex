defmodule Pinger do
  @moduledoc """
  Documentation for `Pinger`.
  """
end
