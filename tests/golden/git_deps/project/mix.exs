defmodule Relay.MixProject do
  use Mix.Project

  def project do
    [
      app: :relay,
      version: "0.1.0",
      elixir: "~> 1.15",
      start_permanent: Mix.env() == :prod,
      deps: deps()
    ]
  end

  # Run "mix help compile.app" to learn about applications.
  def application do
    [
      extra_applications: [:logger],
      mod: {Relay.Application, []}
    ]
  end

  # Run "mix help deps" to learn about dependencies.
  defp deps do
    [
      {:bandit, "~> 1.5"},
      {:jason, "~> 1.4"},
      # Retry budgets; not released on Hex yet
      {:req_retry, git: "https://github.com/acme-labs/req_retry.git", tag: "v0.3.1"},
      # Our fork with monotonic ULIDs
      {:ex_ulid, github: "acme-forks/ex_ulid", branch: "main"}
    ]
  end
end
