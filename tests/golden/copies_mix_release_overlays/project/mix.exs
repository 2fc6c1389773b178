defmodule Ticker.MixProject do
  use Mix.Project

  def project do
    [
      app: :ticker,
      version: "0.1.0",
      elixir: "~> 1.15",
      start_permanent: Mix.env() == :prod,
      deps: deps(),
      releases: releases()
    ]
  end

  def application do
    [
      extra_applications: [:logger],
      mod: {Ticker.Application, []}
    ]
  end

  defp deps do
    []
  end

  # `overlays:` folders are copied into the release as they are (besides rel/overlays, the
  # default); `envs` is named but not in the project.
  defp releases do
    [
      ticker: [
        overlays: ["deploy/envs", "envs"],
        steps: [:assemble, &copy_banner/1]
      ]
    ]
  end

  # A release step of the project's own: it reads a file while `mix release` runs.
  defp copy_banner(release) do
    File.cp!("BANNER.txt", Path.join(release.path, "BANNER.txt"))
    release
  end
end
