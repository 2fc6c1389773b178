# Since configuration is shared in umbrella projects, this file
# should only configure the :kube_native application itself
# and only for organization purposes. All other config goes to
# the umbrella root.
use Mix.Config

# Settings shared by every app, in the umbrella's config/ folder three levels up, folded from a
# list and piped into Code.eval_file (issue 16).
{shared, _} = [__DIR__ | ~w(.. .. .. config helper.exs)] |> Path.join() |> Code.eval_file()

config :kube_native, shared
config :kube_native,
  ecto_repos: [KubeNative.Repo]

import_config "#{Mix.env()}.exs"
