use Mix.Releases.Config,
  default_release: :default,
  default_environment: Mix.env()

environment :prod do
  set include_erts: true
  set include_src: false
  set cookie: :"${ERLANG_COOKIE}"
end

release :ledger do
  set version: current_version(:ledger)
  set applications: [:runtime_tools]
end
