import Config

config :transit, api_key: System.get_env("DEV_API_KEY", "dev")
