~w(rel plugins *.exs)
|> Path.join()
|> Path.wildcard()
|> Enum.map(&Code.eval_file(&1))

use Distillery.Releases.Config,
  default_release: :default,
  default_environment: Mix.env()

environment :dev do
  set dev_mode: true
  set include_erts: false
  set vm_args: "dev/vm.args"
end

environment :prod do
  set include_erts: true
  set include_src: false
  set cookie: :"${ERLANG_COOKIE}"
  # A vm.args at the project root, not under rel/
  set vm_args: "./vm.args"
  set pre_start_hooks: "rel/hooks/pre_start"
  set post_start_hooks: "deploy/hooks/post_start"
  set config_providers: [
    {Distillery.Releases.Config.Providers.Elixir, ["${RELEASE_ROOT_DIR}/etc/config.exs"]}
  ]
  set overlays: [
    {:copy, "priv/scripts/healthcheck.sh", "bin/healthcheck"},
    {:template, "config/templates/runtime.exs.eex", "etc/config.exs"},
    {:copy, "NOTICE", "NOTICE"},
    {:mkdir, "var/data"},
    {:link, "shared/banner.txt", "banner.txt"}
  ]
end

release :ledger do
  set version: current_version(:ledger)
  set applications: [:runtime_tools]
  set commands: [
    migrate: "scripts/migrate.sh",
    seed: "rel/commands/seed.sh"
  ]
end
