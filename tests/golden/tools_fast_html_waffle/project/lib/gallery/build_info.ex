defmodule Gallery.BuildInfo do
  @moduledoc "The commit the release was compiled from, read while this module compiles."
  @revision System.cmd("git", ["rev-parse", "--short", "HEAD"]) |> elem(0) |> String.trim()

  def revision, do: @revision
end
