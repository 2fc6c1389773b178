defmodule LedgerJobs.Worker do
  @moduledoc false
  use Oban.Worker

  @impl true
  def perform(_job), do: :ok
end
