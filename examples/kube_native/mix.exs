defmodule KubeNative.Umbrella.MixProject do
  use Mix.Project

  def project do
    [
      apps_path: "apps",
      version: "0.1.0",
      elixir: "~> 1.14",
      start_permanent: Mix.env() == :prod,
      deps: deps(),
      aliases: aliases(),
      releases: releases()
    ]
  end

  # Dependencies listed here are available only for this project and cannot
  # be accessed from applications inside the apps folder. This umbrella has
  # no Hex dependencies at all: HTTP is served by OTP's own :inets httpd.
  defp deps do
    []
  end

  # `mix setup` runs `mix setup` in every child app (see their aliases).
  defp aliases do
    [
      setup: ["cmd mix setup"]
    ]
  end

  # A single release bundling all three umbrella apps.
  defp releases do
    [
      kube_native: [
        applications: [
          kube_native: :permanent,
          kube_native_web: :permanent,
          kube_native_worker: :permanent
        ],
        include_executables_for: [:unix]
      ]
    ]
  end
end
