import Config

# Read when the release boots: never while the image is built.
config :transit,
  api_base_url: System.get_env("API_BASE_URL", "https://api.example"),
  api_key: System.fetch_env!("API_KEY")
