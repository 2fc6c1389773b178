"""Listeners that are not HTTP, read from the application's code."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubenative.project import sockets


def found(
    tmp_path: Path, code: str, config: str = "", rel: str = "lib/listener.ex"
) -> sockets.Found:
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(code)
    (tmp_path / "config").mkdir(exist_ok=True)
    (tmp_path / "config" / "config.exs").write_text("import Config\n" + config)
    return sockets.read(tmp_path, [rel], ["config/config.exs"], lambda p: p.read_text())


def module(body: str) -> str:
    return f"defmodule Munin.Node do\n  @port 4950\n{body}\nend\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "  def start, do: :gen_tcp.listen(@port, [:binary, ip: {127, 0, 0, 1}])",
            (":gen_tcp.listen", "tcp", 4950, None, "127.0.0.1"),
        ),
        (
            '  def start do\n    port = String.to_integer(System.get_env("SYSLOG_PORT", "514"))\n'
            "    :gen_udp.open(port, [:binary, active: true])\n  end",
            (":gen_udp.open", "udp", 514, "SYSLOG_PORT", None),
        ),
        (
            "  def start(opts), do: :gen_tcp.listen(Keyword.get(opts, :port, 7000), [])",
            (":gen_tcp.listen", "tcp", 7000, None, None),
        ),
        (
            "  def child_spec(_),\n"
            "    do: :ranch.child_spec(:munin, :ranch_tcp, %{socket_opts: [port: 4949]}, "
            "Munin.Protocol, [])",
            (":ranch.child_spec", "tcp", 4949, None, None),
        ),
        (
            "  def start,\n    do: :ranch.start_listener(:m, 10, :ranch_tcp, "
            "[port: 4948, ip: :loopback], Munin.Protocol, [])",
            (":ranch.start_listener", "tcp", 4948, None, "127.0.0.1"),
        ),
        (
            "  def children, do: [{ThousandIsland, port: 1883, handler_module: Mqtt.Handler}]",
            ("ThousandIsland", "tcp", 1883, None, None),
        ),
    ],
)
def test_listeners_in_code(
    tmp_path: Path, body: str, expected: tuple[str, str, int, str | None, str | None]
) -> None:
    (socket,) = found(tmp_path, module(body)).sockets
    assert (socket.via, socket.transport, socket.port, socket.env, socket.ip) == expected
    assert socket.where.startswith("lib/listener.ex:")


@pytest.mark.parametrize(
    "body",
    [
        # port 0: any free port, a client socket
        "  def connect, do: :gen_udp.open(0, [:binary])",
        # Cowboy over ranch is HTTP (an endpoint's or an HTTP server's)
        "  def start, do: :ranch.start_listener(:h, :ranch_tcp, [port: 8080], :cowboy_clear, %{})",
        # Bandit runs on ThousandIsland: HTTP
        "  def children, do: [{ThousandIsland, port: 4000, handler_module: Bandit.InitialHandler}]",
    ],
)
def test_what_is_not_a_non_http_listener(tmp_path: Path, body: str) -> None:
    assert found(tmp_path, module(body)).sockets == ()


def test_a_port_from_config_is_claimed_by_the_listener(tmp_path: Path) -> None:
    code = module(
        "  def start do\n"
        "    :gen_tcp.listen(Application.fetch_env!(:munin, :port), [:binary])\n  end"
    )
    result = found(tmp_path, code, 'config :munin, port: {:system, "MUNIN_PORT"}')
    (socket,) = result.sockets
    assert (socket.port, socket.env) == (None, "MUNIN_PORT")
    assert result.claimed == {("munin", "port")}


def test_a_keyword_setting_gives_port_and_address(tmp_path: Path) -> None:
    code = module(
        "  def start do\n    opts = Application.get_env(:stats, :munin)\n"
        "    :gen_tcp.listen(opts[:port], [:binary])\n  end"
    )
    result = found(tmp_path, code, "config :stats, :munin, port: 4950, ip: {127, 0, 0, 1}")
    (socket,) = result.sockets
    assert (socket.port, socket.ip, socket.loopback) == (4950, "127.0.0.1", True)


def test_mix_tasks_are_not_read(tmp_path: Path) -> None:
    code = module("  def run(_), do: :gen_tcp.listen(9000, [])")
    assert found(tmp_path, code, rel="lib/mix/tasks/serve.ex").sockets == ()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # dwyl/hits-elixir: an alias, a port from config with a default
        (
            "  alias Plug.Adapters.Cowboy\n"
            "  def start(_, _) do\n    port = Application.get_env(:app, :cowboy_port, 8080)\n"
            "    Cowboy.child_spec(:http, App.Router, [], port: port)\n  end",
            ("app-http", "http", 8080, None),
        ),
        # a local function reads the variable (an old hexpm/bob)
        (
            "  def start(_, _), do: Plug.Adapters.Cowboy.http(Bob.Router, [], port: port())\n"
            '  defp port, do: String.to_integer(System.get_env("BOB_PORT") || "4000")',
            ("bob-http", "http", 4000, "BOB_PORT"),
        ),
        (
            "  def children, do: [{Bandit, plug: {PromEx.Plug, []}, port: 9568}]",
            ("promex-http", "http", 9568, None),
        ),
        # no port option: Plug.Cowboy's default
        (
            "  def children, do: [{Plug.Cowboy, scheme: :https, plug: Api.Router, options: []}]",
            ("https", "https", 4040, None),
        ),
        # options kubenative cannot see: the port is unknown, not a guess
        (
            "  def start(config), do: Plug.Cowboy.http(Feed.Router, [], config[:cowboy])",
            ("feed-http", "http", None, None),
        ),
    ],
)
def test_http_servers_started_in_code(
    tmp_path: Path, body: str, expected: tuple[str, str, int | None, str | None]
) -> None:
    config = "config :app, cowboy_port: 8080"
    result = found(tmp_path, f"defmodule App do\n{body}\nend\n", config)
    (server,) = result.http
    assert (server.name, server.scheme, server.port, server.env) == expected
    assert result.sockets == ()


@pytest.mark.parametrize(
    ("body", "config", "guard"),
    [
        # hexpm/bob: the server starts only when config has a port, which runtime.exs sets only
        # when BOB_METRICS_PORT is set (either guard alone makes it optional)
        (
            "  def metrics do\n    if port = Application.get_env(:bob, :metrics_port) do\n"
            "      {Bandit, plug: {PromEx.Plug, []}, port: port}\n    end\n  end",
            'if p = System.get_env("BOB_METRICS_PORT") do\n'
            "  config :bob, metrics_port: String.to_integer(p)\nend",
            "lib/listener.ex:3",
        ),
        (
            "  def metrics,\n"
            "    do: {Bandit, plug: Api, port: Application.get_env(:bob, :metrics_port)}",
            'if p = System.get_env("BOB_METRICS_PORT") do\n'
            "  config :bob, metrics_port: String.to_integer(p)\nend",
            "config/config.exs:3",
        ),
        (
            '  def admin do\n    if System.get_env("ADMIN_PORT") do\n'
            "      Plug.Cowboy.http(Admin.Router, [],\n"
            '        port: String.to_integer(System.get_env("ADMIN_PORT")))\n'
            "    end\n  end",
            "",
            "lib/listener.ex:3",
        ),
    ],
)
def test_a_server_that_starts_only_when_its_port_is_set_is_optional(
    tmp_path: Path, body: str, config: str, guard: str
) -> None:
    result = found(tmp_path, f"defmodule Bob.Application do\n{body}\nend\n", config)
    assert result.http == ()
    ((server, where),) = result.optional
    assert where == guard and server.scheme == "http"


def test_a_server_behind_another_condition_is_not_optional(tmp_path: Path) -> None:
    # a feature flag is not "is the port set": the server's port is still the image's to give
    body = (
        "  def admin do\n    if Application.get_env(:app, :admin?) do\n"
        '      {Bandit, plug: Admin, port: String.to_integer(System.fetch_env!("ADMIN_PORT"))}\n'
        "    end\n  end"
    )
    result = found(tmp_path, f"defmodule App do\n{body}\nend\n")
    assert result.optional == () and [p.env for p in result.http] == ["ADMIN_PORT"]
