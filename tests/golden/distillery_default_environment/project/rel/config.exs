use Distillery.Releases.Config,
  default_release: :default,
  default_environment: :default

# Nebo15/annon.api's shape: no `environment :prod`, so `mix distillery.release` builds the
# default environment, and every setting of the release comes from it.
environment :default do
  set pre_start_hooks: "bin/hooks"
  set dev_mode: false
  set include_erts: false
  set include_src: false
  set commands: [
    migrate: "rel/commands/migrate.sh"
  ]
  set cookie: :nowarn
end

# Never built: its settings reach no image.
environment :dev do
  set dev_mode: true
  set vm_args: "rel/dev/vm.args"
  set commands: [
    reset: "rel/dev/reset.sh"
  ]
end

release :ledger do
  set version: current_version(:ledger)
  set applications: [:runtime_tools]
end
