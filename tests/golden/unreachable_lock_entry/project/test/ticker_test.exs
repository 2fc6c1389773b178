defmodule TickerTest do
  use ExUnit.Case

  test "the clock is running" do
    assert Process.whereis(Ticker.Clock)
  end
end
