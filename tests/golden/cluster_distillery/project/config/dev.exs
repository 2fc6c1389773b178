use Mix.Config
