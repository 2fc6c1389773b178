"""One test for "does this branch run in prod", for every form real config files and mix.exs
use, and the two ways readers ask it (a walk that skips, a node that is skipped)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubenative.project import commands, endpoints, env_vars
from kubenative.project.elixir_parse import parse_source
from kubenative.project.elixir_tree import call_arguments, remote_call, text, walk
from kubenative.project.prod_walk import holds_in_prod, prod_walk, skipped_in_prod


def _condition(source: str) -> bool | None:
    tree = parse_source(f"if {source} do\n  :ok\nend\n", "config/runtime.exs")
    (call,) = [n for n in walk(tree) if n.type == "call" and text(n).startswith("if ")]
    return holds_in_prod(call_arguments(call)[0])


@pytest.mark.parametrize(
    ("condition", "holds"),
    [
        ("config_env() == :prod", True),
        ("config_env() == :dev", False),
        (":prod == config_env()", True),  # either way round
        (":test == Mix.env()", False),
        ("Mix.env() == :prod", True),
        ("Mix.env == :test", False),  # without parentheses (old mix.exs files)
        ("Config.config_env() == :prod", True),
        ("config_env() === :prod", True),
        ("config_env() === :demo", False),
        ("config_env() != :test", True),
        ("config_env() !== :prod", False),
        ("config_env() in [:prod, :dev]", True),
        ("Mix.env() in [:dev, :test]", False),
        ("config_env() not in [:test]", True),
        ("config_env() not in [:prod]", False),
        ("not (config_env() == :prod)", False),
        ("!(Mix.env() in [:dev, :test])", True),
        ("(config_env() == :prod)", True),
        # a decided part can decide an and/or
        ('config_env() == :test and System.get_env("E2E")', False),
        ('config_env() != :test && System.get_env("LOG_LEVEL")', None),
        ("config_env() == :prod and self_hosted", None),
        ("config_env() == :prod or self_hosted", True),
        ("config_env() == :dev || config_env() == :test", False),
        # not decided by the environment
        ('System.get_env("PHX_SERVER")', None),
        ("config_env() == @env", None),
        ("config_env() == env", None),
        ("Mix.target() == :host", None),
        ("config_env() > :prod", None),
    ],
)
def test_whether_a_condition_holds_in_prod(condition: str, holds: bool | None) -> None:
    assert _condition(condition) is holds


def _reads(source: str) -> list[str]:
    """The variables a prod walk of ``source`` reaches."""
    tree = parse_source(source, "config/runtime.exs")
    found = []
    for node in prod_walk(tree):
        if remote_call(node) == ("System", "get_env"):
            found.append(text(call_arguments(node)[0]).strip('"'))
    return found


def _skipped(source: str) -> list[str]:
    """The variables of ``source`` that :func:`skipped_in_prod` says prod never reads."""
    tree = parse_source(source, "config/runtime.exs")
    return [
        text(call_arguments(n)[0]).strip('"')
        for n in walk(tree)
        if remote_call(n) == ("System", "get_env") and skipped_in_prod(n)
    ]


BRANCHES = [
    # (source, read in prod, never read in prod)
    (
        'if config_env() == :prod do\n  System.get_env("A")\nelse\n  System.get_env("B")\nend',
        ["A"],
        ["B"],
    ),
    (
        'if :dev == config_env() do\n  System.get_env("A")\nelse\n  System.get_env("B")\nend',
        ["B"],
        ["A"],
    ),
    ('unless config_env() in [:dev, :test] do\n  System.get_env("A")\nend', ["A"], []),
    (
        "unless config_env() not in [:dev, :test],\n"
        '  do: System.get_env("A"),\n  else: System.get_env("B")',
        ["B"],
        ["A"],
    ),
    (
        'x = if Mix.env() === :test, do: System.get_env("A"), else: System.get_env("B")',
        ["B"],
        ["A"],
    ),
    (
        'if config_env() == :prod and System.get_env("A") do\n  System.get_env("B")\nend',
        ["A", "B"],
        [],
    ),
    (  # `and` stops at a false left part: the right one is never evaluated
        'if config_env() == :test and System.get_env("A") do\n  System.get_env("B")\nend',
        [],
        ["A", "B"],
    ),
    ('x = config_env() == :prod || System.get_env("A")', [], ["A"]),
    ('x = config_env() == :prod && System.get_env("A")', ["A"], []),
    (
        "case config_env() do\n"
        '  :dev -> System.get_env("A")\n'
        '  :prod -> System.get_env("B")\n'
        '  _ -> System.get_env("C")\n'
        "end",
        ["B"],
        ["A", "C"],
    ),
    (
        'case Mix.env() do\n  :test -> System.get_env("A")\n  _ -> System.get_env("B")\nend',
        ["B"],
        ["A"],
    ),
    (  # a guard is not decided: the clauses after it may run, the literal :dev one never
        "case config_env() do\n"
        '  env when env in [:a, :b] -> System.get_env("A")\n'
        '  :dev -> System.get_env("B")\n'
        '  _ -> System.get_env("C")\n'
        "end",
        ["A", "C"],
        ["B"],
    ),
    (  # a case on something else
        'case System.get_env("X") do\n  nil -> System.get_env("A")\n  _ -> :ok\nend',
        ["X", "A"],
        [],
    ),
    (
        "cond do\n"
        '  config_env() == :test -> System.get_env("A")\n'
        '  System.get_env("B") -> System.get_env("C")\n'
        '  config_env() != :test -> System.get_env("D")\n'
        '  true -> System.get_env("E")\n'
        "end",
        ["B", "C", "D"],
        ["A", "E"],
    ),
]


@pytest.mark.parametrize(("source", "read", "never"), BRANCHES)
def test_the_walk_and_the_node_test_skip_the_same_branches(
    source: str, read: list[str], never: list[str]
) -> None:
    assert _reads(source) == read
    assert _skipped(source) == never


def test_a_read_in_a_decided_branch_is_required_in_an_undecided_one_optional() -> None:
    source = (
        "case config_env() do\n"
        '  :prod -> System.fetch_env!("A")\n'
        '  _ -> System.fetch_env!("B")\n'
        "end\n"
        'if System.get_env("X") == "1" do\n  System.fetch_env!("C")\nend\n'
    )
    found = env_vars.merge(env_vars.read(source, "config/runtime.exs"))
    assert [(v.name, v.required) for v in found] == [("A", True), ("X", False), ("C", False)]


def test_endpoints_skip_every_form(tmp_path: Path) -> None:
    (tmp_path / "runtime.exs").write_text(
        "import Config\n"
        "config :app, Web.Endpoint, http: [port: 4000]\n"
        "if :test == config_env() do\n  config :app, Web.Endpoint, http: [port: 4002]\nend\n"
        "case config_env() do\n"
        "  :dev -> config :app, Web.Endpoint, http: [port: 4001]\n"
        "  _ -> :ok\n"
        "end\n"
    )
    found = endpoints.read(tmp_path, ["runtime.exs"], lambda p: p.read_text(), ["runtime.exs"])
    assert found.port == 4000


def test_commands_skip_every_form(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "dev.ex").write_text(
        "defmodule App.Dev do\n"
        "  if Mix.env() in [:dev, :test] do\n"
        '    def open(url), do: System.cmd("xdg-open", [url])\n'
        "  end\n"
        "  def url do\n"
        "    case Mix.env() do\n"
        '      :test -> System.cmd("git", [])\n'
        '      _ -> System.cmd("hostname", [])\n'
        "    end\n"
        "  end\n"
        "end\n"
    )
    found = commands.read(tmp_path, ("lib",), lambda p: p.read_text())
    assert [c.name for c in found] == ["hostname"]
