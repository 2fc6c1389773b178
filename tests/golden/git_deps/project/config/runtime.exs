import Config

if config_env() == :prod do
  config :relay, downstream_url: System.fetch_env!("DOWNSTREAM_URL")
end
