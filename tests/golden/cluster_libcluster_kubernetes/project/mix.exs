defmodule Orders.MixProject do
  use Mix.Project

  def project do
    [
      app: :orders,
      version: "1.4.0",
      elixir: "~> 1.15",
      start_permanent: Mix.env() == :prod,
      deps: deps(),
      releases: [orders: [applications: [orders: :permanent]]]
    ]
  end

  def application do
    [extra_applications: [:logger], mod: {Orders.Application, []}]
  end

  defp deps do
    [
      {:bandit, "~> 1.5"},
      {:libcluster, "~> 3.3"}
    ]
  end
end
