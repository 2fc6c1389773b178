defmodule Vault.MixProject do
  use Mix.Project

  def project do
    [app: :vault, version: "1.0.0", elixir: "~> 1.7", deps: []]
  end

  def application, do: [extra_applications: [:logger]]
end
