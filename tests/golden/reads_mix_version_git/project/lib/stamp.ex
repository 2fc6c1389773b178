defmodule Stamp do
  @moduledoc "Says its version."

  def version, do: Application.spec(:stamp, :vsn)
end
