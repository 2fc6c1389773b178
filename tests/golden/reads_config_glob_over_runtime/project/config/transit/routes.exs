import Config

config :transit, routes: [:red, :orange, :blue]
