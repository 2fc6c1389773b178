defmodule FleetOpsWorker.Jobs.PingVehicle do
  use Oban.Worker, queue: :telemetry, max_attempts: 5

  @impl Oban.Worker
  def perform(%Oban.Job{args: %{"vehicle_id" => id}}) do
    {:ok, id}
  end
end
