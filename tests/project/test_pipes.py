"""``x |> f(a)`` is ``f(x, a)``: every reader of a call's arguments by position reads the piped
form as the call it is (Hubs-Foundation/reticulum's ``"DIALOG_PORT" |> System.get_env("443")``
reads DIALOG_PORT with the default "443", not a variable named "443")."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubenative.project import config_files, endpoints, env_vars, follow, sockets
from kubenative.project.elixir_parse import parse_source
from kubenative.project.elixir_tree import arguments, call_of, expression, remote_name, text, walk
from kubenative.project.prod_walk import prod_walk
from kubenative.project.reads import scan


def _calls(source: str, dotted: str) -> list[list[str]]:
    tree = parse_source(source, "config/runtime.exs")
    return [[text(a) for a in arguments(n)] for n in walk(tree) if remote_name(n) == dotted]


@pytest.mark.parametrize(
    ("source", "dotted", "expected"),
    [
        ('System.get_env("A", "1")', "System.get_env", [['"A"', '"1"']]),
        ('"A" |> System.get_env("1")', "System.get_env", [['"A"', '"1"']]),
        ('"A" |> System.get_env()', "System.get_env", [['"A"']]),
        ('"A" |> System.get_env', "System.get_env", [['"A"']]),
        # left-associative: the second call receives the whole first pipe
        (
            '"A" |> System.get_env("1") |> String.to_integer()',
            "String.to_integer",
            [['"A" |> System.get_env("1")']],
        ),
        # a call inside the arguments of a piped call is not piped into
        ('x |> Map.get(System.get_env("B"))', "System.get_env", [['"B"']]),
    ],
)
def test_arguments_put_the_piped_value_first(
    source: str, dotted: str, expected: list[list[str]]
) -> None:
    assert _calls(source, dotted) == expected


def test_call_of_and_expression_are_the_two_sides_of_one_pipe() -> None:
    tree = parse_source('x = "A" |> System.get_env("1") || "2"', "config/runtime.exs")
    (call,) = [n for n in walk(tree) if remote_name(n) == "System.get_env"]
    pipe = expression(call)
    assert text(pipe) == '"A" |> System.get_env("1")'
    assert call_of(pipe) == call
    assert expression(pipe) == pipe and call_of(call) == call


def _env(source: str) -> list[tuple[str, str | None, bool, str]]:
    found = env_vars.merge(env_vars.read(source, "config/runtime.exs"))
    return [(v.name, v.default, v.required, v.source) for v in found]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # Hubs-Foundation/reticulum, config/runtime.exs
        (
            'dialog_port =\n  "DIALOG_PORT"\n  |> System.get_env("443")\n  |> String.to_integer()',
            [("DIALOG_PORT", "443", False, "config/runtime.exs:2")],
        ),
        # Logflare, config/runtime.exs
        (
            'n = "LOGFLARE_CACHE_GOSSIP_MAX_NODES" |> System.get_env("3") |> String.to_integer()',
            [("LOGFLARE_CACHE_GOSSIP_MAX_NODES", "3", False, "config/runtime.exs:1")],
        ),
        # no default, handed to a function that raises on nil: required
        (
            'x = "A" |> System.get_env() |> String.to_integer()',
            [("A", None, True, "config/runtime.exs:1")],
        ),
        ('x = "A" |> System.get_env() || "5"', [("A", "5", False, "config/runtime.exs:1")]),
        ('x = "A" |> System.get_env() || raise "A"', [("A", None, True, "config/runtime.exs:1")]),
        ('x = "A" |> System.fetch_env!()', [("A", None, True, "config/runtime.exs:1")]),
        ('x = System.get_env() |> Map.fetch!("A")', [("A", None, True, "config/runtime.exs:1")]),
        ('x = System.get_env() |> Map.get("A", "d")', [("A", "d", False, "config/runtime.exs:1")]),
        ('x = "A" |> System.get_env("")', [("A", "", False, "config/runtime.exs:1")]),
    ],
)
def test_env_vars_read_the_piped_form(
    source: str, expected: list[tuple[str, str | None, bool, str]]
) -> None:
    assert _env(source) == expected


def test_a_port_read_through_a_pipe(tmp_path: Path) -> None:
    (tmp_path / "runtime.exs").write_text(
        "import Config\n"
        'port = "PORT" |> System.get_env("4001") |> String.to_integer()\n'
        "config :app, Web.Endpoint, http: [port: port], server: true\n"
    )
    found = endpoints.read(tmp_path, ["runtime.exs"], lambda p: p.read_text(), ["runtime.exs"])
    assert (found.port, found.port_env) == (4001, "PORT")


def test_a_port_bound_then_piped_into_to_integer(tmp_path: Path) -> None:
    (tmp_path / "runtime.exs").write_text(
        "import Config\n"
        'port = System.get_env("PORT") || "4002"\n'
        "config :app, Web.Endpoint, http: [port: port |> String.to_integer()], server: true\n"
    )
    found = endpoints.read(tmp_path, ["runtime.exs"], lambda p: p.read_text(), ["runtime.exs"])
    assert (found.port, found.port_env) == (4002, "PORT")


def test_follow_reads_a_piped_variable_and_a_piped_application_env() -> None:
    source = (
        "import Config\n"
        'config :app, :host, "HOST" |> System.get_env("example.com")\n'
        "config :app, App.Endpoint, url: [host: :app |> Application.get_env(:host)]\n"
    )
    file = follow.SourceFile("config/runtime.exs", source)
    follower = follow.Follower([file], distillery=False)
    found = follower.config_value("app", "host")
    assert found is not None
    setting = follower.setting("host", *found)
    assert (setting.env, setting.default) == ("HOST", "example.com")
    tree = file.root
    (url,) = [n for n in prod_walk(tree) if text(n).startswith(":app |> Application")]
    setting = follower.setting("host", file, url)
    assert (setting.env, setting.default, setting.where) == (
        "HOST",
        "example.com",
        "config/runtime.exs:2",
    )


def test_reads_find_piped_env_reads_and_piped_path_joins() -> None:
    source = (
        "import Config\n"
        'config :x, a: "A" |> System.get_env("1")\n'
        'config :x, b: "B" |> System.fetch_env!()\n'
        'config :x, c: System.get_env() |> Map.get("C")\n'
    )
    found = scan(source, "config/prod.exs", ".", script=True)
    assert [(e.name, e.where) for e in found.env] == [
        ("A", "config/prod.exs:2"),
        ("B", "config/prod.exs:3"),
        ("C", "config/prod.exs:4"),
    ]
    # a file picked at run time from a folder joined through a pipe: the folder
    code = 'defmodule X do\n  @pages "pages" |> Path.join(name) |> File.read!()\nend\n'
    assert [(r.path, r.when) for r in scan(code, "lib/x.ex", ".", script=False).reads] == [
        ("pages", "build")
    ]
    # a glob piped into a function over its files: each file is under the glob
    code = (
        "defmodule X do\n"
        '  @data "data/*.json" |> Path.wildcard() |> Enum.map(fn f -> File.read!(f) end)\n'
        "end\n"
    )
    assert {(r.path, r.call) for r in scan(code, "lib/x.ex", ".", script=False).reads} == {
        ("data/*.json", "Path.wildcard"),
        ("data/*.json", "File.read!"),
    }


def test_tool_paths_read_a_piped_variable() -> None:
    source = 'import Config\nconfig :esbuild, path: "MIX_ESBUILD_PATH" |> System.get_env()\n'
    assert config_files.tool_paths(source, "config/config.exs") == {"esbuild": "MIX_ESBUILD_PATH"}


def test_a_socket_whose_port_is_piped_in(tmp_path: Path) -> None:
    code = "defmodule Munin.Node do\n  def start, do: 4950 |> :gen_tcp.listen([:binary])\nend\n"
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "node.ex").write_text(code)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.exs").write_text("import Config\n")
    found = sockets.read(tmp_path, ["lib/node.ex"], ["config/config.exs"], lambda p: p.read_text())
    assert [(s.via, s.port) for s in found.sockets] == [(":gen_tcp.listen", 4950)]


def test_a_piped_case_on_the_environment_is_decided() -> None:
    source = (
        "config_env()\n|> case do\n"
        '  :prod -> System.get_env("A")\n  _ -> System.get_env("B")\nend\n'
    )
    tree = parse_source(source, "config/runtime.exs")
    read = [text(arguments(n)[0]) for n in prod_walk(tree) if remote_name(n) == "System.get_env"]
    assert read == ['"A"']
