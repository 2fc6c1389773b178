defmodule BeaconUiWeb do
  @moduledoc false
end
