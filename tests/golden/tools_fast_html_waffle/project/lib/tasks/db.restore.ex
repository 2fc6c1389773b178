defmodule Mix.Tasks.Db.Restore do
  @shortdoc "Restores a dump into the dev database"
  use Mix.Task

  @impl true
  def run([file]), do: System.cmd("psql", ["--file", file, "gallery_dev"])
end
