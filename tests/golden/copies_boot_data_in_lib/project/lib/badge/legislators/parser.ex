defmodule Badge.Legislators.Parser do
  # BrandNewCongress/core's shape: a JSON file in the module's own folder, read at boot.
  def load do
    "./lib/badge/legislators/current.json"
    |> File.read!()
    |> :json.decode()
  end

  # A folder of data and code read at boot: its data files are copied, its code is not.
  def files, do: File.ls!("lib/badge/legislators")
end
