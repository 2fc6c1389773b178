defmodule Site.MixProject do
  use Mix.Project

  def project do
    [
      app: :site,
      version: "0.1.0",
      build_path: "../../_build",
      config_path: "../../config/config.exs",
      deps_path: "../../deps",
      lockfile: "../../mix.lock",
      elixir: "~> 1.14",
      # Code shared by the apps lives in the umbrella root's lib/.
      elixirc_paths: ["lib", "../../lib"],
      deps: []
    ]
  end

  def application, do: [extra_applications: [:logger]]
end
