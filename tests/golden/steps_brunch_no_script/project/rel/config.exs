use Distillery.Releases.Config,
  default_release: :default,
  default_environment: Mix.env()

environment :prod do
  set include_erts: true
  set include_src: false
  set cookie: :"not-a-secret-cookie"
end

release :forum do
  set version: current_version(:forum)
end
