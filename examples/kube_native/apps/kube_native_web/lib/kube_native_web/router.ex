defmodule KubeNativeWeb.Router do
  @moduledoc """
  An `:inets` httpd callback module (see the `httpd` "ERLANG WEB SERVER API").

  Routes:

    * `GET /`        - `KubeNative.greeting/0` as `text/plain`
    * `GET /health`  - `ok` (liveness/readiness probe)
    * `GET /stats`   - event counters kept by the core app
    * `GET /<file>`  - a file from `priv/static`, with a SHA-256 ETag

  Every response carries an `x-request-id` header made of random bytes
  from `:crypto`.
  """

  require Logger
  require Record

  Record.defrecordp(:mod, Record.extract(:mod, from_lib: "inets/include/httpd.hrl"))

  @mime_types %{
    ".css" => "text/css",
    ".html" => "text/html; charset=utf-8",
    ".ico" => "image/x-icon",
    ".js" => "text/javascript",
    ".json" => "application/json",
    ".map" => "application/json",
    ".png" => "image/png",
    ".svg" => "image/svg+xml",
    ".txt" => "text/plain; charset=utf-8"
  }

  # `do` is a reserved word in Elixir, hence the unquote.
  @doc false
  def unquote(:do)(mod(data: data) = request) do
    case List.keyfind(data, :response, 0) || List.keyfind(data, :status, 0) do
      nil -> handle(request)
      # Another module already answered.
      _ -> {:proceed, data}
    end
  end

  defp handle(mod(method: method, request_uri: uri, parsed_header: headers)) do
    request_id = request_id()
    Logger.metadata(request_id: request_id)

    path = uri |> to_string() |> String.split("?", parts: 2) |> hd()
    {code, resp_headers, body} = route(to_string(method), path, headers)

    Logger.debug("#{method} #{path} -> #{code}")
    KubeNative.record(:requests)

    head =
      [
        code: code,
        content_length: body |> IO.iodata_length() |> Integer.to_charlist(),
        "x-request-id": to_charlist(request_id)
      ] ++ Enum.map(resp_headers, fn {k, v} -> {k, to_charlist(v)} end)

    {:proceed, [{:response, {:response, head, body}}]}
  end

  defp route(method, path, headers) when method in ["GET", "HEAD"] do
    case path do
      "/" ->
        text(200, KubeNative.greeting())

      "/health" ->
        text(200, "ok")

      "/stats" ->
        body =
          KubeNative.stats()
          |> Enum.sort()
          |> Enum.map_join("\n", fn {event, count} -> "#{event}=#{count}" end)

        text(200, body)

      _ ->
        static(path, headers)
    end
  end

  defp route(_method, _path, _headers), do: text(405, "method not allowed")

  defp static(path, headers) do
    segments = path |> String.split("/", trim: true) |> Enum.map(&URI.decode/1)

    if segments == [] or Enum.any?(segments, &(&1 in [".", ".."] or String.contains?(&1, "/"))) do
      text(404, "not found")
    else
      file = Path.join([KubeNativeWeb.static_dir() | segments])

      case File.read(file) do
        {:ok, content} -> file_response(file, content, headers)
        {:error, _} -> text(404, "not found")
      end
    end
  end

  defp file_response(file, content, headers) do
    digest = :crypto.hash(:sha256, content) |> binary_part(0, 16) |> Base.encode16(case: :lower)
    etag = ~s("#{digest}")

    type = Map.get(@mime_types, Path.extname(file), "application/octet-stream")
    common = [content_type: type, etag: etag, cache_control: "public, max-age=0, must-revalidate"]

    if if_none_match(headers) == etag do
      {304, common, ""}
    else
      {200, common, content}
    end
  end

  defp if_none_match(headers) do
    case List.keyfind(headers, ~c"if-none-match", 0) do
      {_, value} -> value |> to_string() |> String.trim()
      nil -> nil
    end
  end

  defp text(code, body), do: {code, [content_type: "text/plain; charset=utf-8"], body}

  defp request_id, do: :crypto.strong_rand_bytes(8) |> Base.encode16(case: :lower)
end
