defmodule Gallery.MixProject do
  use Mix.Project

  def project do
    [
      app: :gallery,
      version: "0.1.0",
      elixir: "~> 1.15",
      start_permanent: Mix.env() == :prod,
      deps: deps()
    ]
  end

  def application do
    [mod: {Gallery.Application, []}, extra_applications: [:logger]]
  end

  defp deps do
    [
      {:phoenix, "~> 1.7.14"},
      {:bandit, "~> 1.5"},
      # HTML sanitising with lexbor (built by cmake)
      {:fast_html, "~> 2.3"},
      # uploads with ImageMagick transformations; image sizes read in Elixir
      {:waffle, "~> 1.1"},
      {:ex_image_info, "~> 0.2.4"}
    ]
  end
end
