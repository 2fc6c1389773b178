import Config

config :transit, started_at: :compile

# mbta/dotcom's shape: every config file of two folders, named by a brace alternation and
# imported relative to this file. The glob's fixed folder is config/, which also holds
# runtime.exs, dev.exs and test.exs: none of them is build-time config for that.
for config_file <- Path.wildcard("config/{deps,transit}/*.exs") do
  import_config("../#{config_file}")
end

import_config "#{config_env()}.exs"
