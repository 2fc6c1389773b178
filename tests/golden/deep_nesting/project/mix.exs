defmodule Nest.MixProject do
  use Mix.Project

  def project do
    [app: :nest, version: "0.1.0", elixir: "~> 1.15", deps: []]
  end
end
