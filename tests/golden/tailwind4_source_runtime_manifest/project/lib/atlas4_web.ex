defmodule Atlas4Web do
  @moduledoc false
end
