import Config

# membrane_videoroom's shape: the scheme is chosen at boot, the options written as tuples
protocol = if System.get_env("USE_TLS") == "true", do: :https, else: :http

args =
  if protocol == :https do
    [keyfile: System.fetch_env!("KEY_FILE_PATH"), certfile: System.fetch_env!("CERT_FILE_PATH")]
  else
    []
  end
  |> Keyword.merge(port: 4000)

config :relay, RelayWeb.Endpoint, [
  {:url, [host: "localhost"]},
  {protocol, args}
]
