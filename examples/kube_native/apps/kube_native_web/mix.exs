defmodule KubeNativeWeb.MixProject do
  use Mix.Project

  def project do
    [
      app: :kube_native_web,
      version: "0.1.0",
      build_path: "../../_build",
      config_path: "../../config/config.exs",
      deps_path: "../../deps",
      lockfile: "../../mix.lock",
      elixir: "~> 1.14",
      start_permanent: Mix.env() == :prod,
      deps: deps(),
      aliases: aliases()
    ]
  end

  def application do
    [
      mod: {KubeNativeWeb.Application, []},
      extra_applications: [:logger, :inets, :crypto, :ssl]
    ]
  end

  defp deps do
    [
      {:kube_native, in_umbrella: true}
    ]
  end

  # Front-end assets are bundled by esbuild (an npm package) via
  # assets/package.json; the result lands in priv/static/assets.
  defp aliases do
    [
      setup: ["deps.get", "assets.setup"],
      "assets.setup": ["cmd npm --prefix assets ci"],
      "assets.deploy": ["cmd npm --prefix assets run deploy"]
    ]
  end
end
