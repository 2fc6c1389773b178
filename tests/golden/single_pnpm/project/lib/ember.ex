defmodule Ember do
  @moduledoc """
  Ember keeps the contexts that define your domain
  and business logic.
  """
end
