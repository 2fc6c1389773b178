defmodule BeaconUi do
  @moduledoc "beacon_ui"
end
