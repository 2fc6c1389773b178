use Distillery.Releases.Config,
  default_release: :default,
  default_environment: Mix.env()

environment :dev do
  set dev_mode: true
  set include_erts: false
  set cookie: :dev_cookie_not_secret
end

environment :prod do
  set include_erts: true
  set include_src: false
  set cookie: :"build-cookie-replaced-at-boot"
  set erl_opts: "+sbwt none"
end

release :ledger do
  set version: current_version(:ledger)
  set applications: [:runtime_tools]
end
