# Since configuration is shared in umbrella projects, this file
# should only configure the :kube_native_web application itself
# and only for organization purposes. All other config goes to
# the umbrella root.
use Mix.Config

# General application configuration
config :kube_native_web,
  ecto_repos: [KubeNative.Repo],
  generators: [context_app: :kube_native]

# Configures the endpoint
config :kube_native_web, KubeNativeWeb.Endpoint,
  url: [host: "localhost"],
  secret_key_base: "bf149940b9b32f963164b259b1531aff0f71b0269e5c52436ae79de23b36c2c1",
  render_errors: [view: KubeNativeWeb.ErrorView, accepts: ~w(html json)],
  pubsub: [name: KubeNativeWeb.PubSub, adapter: Phoenix.PubSub.PG2]

# Configures Elixir's Logger
config :logger, :console,
  format: "$time $metadata[$level] $message\n",
  metadata: [:request_id]

# Use Jason for JSON parsing in Phoenix
config :phoenix, :json_library, Jason

# Import environment specific config. This must remain at the bottom
# of this file so it overrides the configuration above.
import_config "#{Mix.env()}.exs"

# A path only known when the config runs: kubenative copies this whole folder instead.
Code.eval_file(Path.join(System.get_env("KUBE_NATIVE_CONFIG_DIR", __DIR__), "extra.exs"))
