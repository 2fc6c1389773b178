# Left from the Distillery days; releases are now built with `mix release`.
use Distillery.Releases.Config,
  default_release: :default,
  default_environment: Mix.env()

environment :prod do
  set include_erts: true
  set include_src: false
end

release :ledger do
  set version: current_version(:ledger)
end
