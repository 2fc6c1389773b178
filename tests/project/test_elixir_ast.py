"""The tree-sitter based parser and static evaluator for Elixir expressions."""

from __future__ import annotations

import pytest

from kubenative.errors import ParseError
from kubenative.project.elixir_ast import (
    Alias,
    Atom,
    Evaluator,
    Unknown,
    Value,
    find_modules,
    has_unknown,
    is_keyword,
    keyword_get,
    keyword_items,
)
from kubenative.project.elixir_parse import parse_source


def evaluate(expr: str) -> Value:
    root = parse_source(expr, "expr.exs")
    (node,) = [n for n in root.named_children if n.type != "comment"]
    return Evaluator().evaluate(node)


def module_evaluator(source: str) -> Evaluator:
    (module,) = find_modules(parse_source(source, "lib/sample.ex"))
    return Evaluator(module)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (":prod", Atom("prod")),
        (':"quoted atom"', Atom("quoted atom")),
        (":valid?", Atom("valid?")),
        ("true", True),
        ("false", False),
        ("nil", None),
        ('"~> 1.14"', "~> 1.14"),
        (r'"tab\tquote\"back\\slash"', 'tab\tquote"back\\slash'),
        ("'charlist'", "charlist"),
        ("42", 42),
        ("1_000_000", 1_000_000),
        ("0x1F", 31),
        ("-7", -7),
        ("3.25", 3.25),
        ("?a", 97),
        ("~w(assemble tar)", ["assemble", "tar"]),
        ("~w[unix windows]a", [Atom("unix"), Atom("windows")]),
        ("~s(a string)", "a string"),
        ("Mix.Project", Alias("Mix.Project")),
        ("{:ok, 1, nil}", (Atom("ok"), 1, None)),
        ("[1, [2, 3]]", [1, [2, 3]]),
        (
            '[app: :demo, version: "0.1.0"]',
            [(Atom("app"), Atom("demo")), (Atom("version"), "0.1.0")],
        ),
        ('["ecto.setup": ["ecto.create"]]', [(Atom("ecto.setup"), ["ecto.create"])]),
        ('%{"a" => 1, b: 2}', {"a": 1, Atom("b"): 2}),
        ('%{"jason": 1}', {Atom("jason"): 1}),
        ("[1] ++ [2, 3]", [1, 2, 3]),
        ('"a" <> "b"', "ab"),
        ("1 + 2 * 3", 7),
        ('{:a, "1.0", only: :test}', (Atom("a"), "1.0", [(Atom("only"), Atom("test"))])),
    ],
)
def test_literals(expr: str, expected: Value) -> None:
    value = evaluate(expr)
    assert value == expected
    assert type(value) is type(expected)


def test_heredoc_is_dedented_to_the_closing_delimiter() -> None:
    assert evaluate('"""\n    Line one\n      indented\n    """') == "Line one\n  indented\n"


@pytest.mark.parametrize(
    "expr",
    [
        "Mix.env()",
        'System.get_env("PORT")',
        'Path.join("a", "b")',
        '"v#{@version}"',
        "&setup_db/1",
        "if true, do: 1, else: 2",
        "case x do\n  1 -> 2\nend",
        "~r/regex/",
        "undefined_local()",
        "Mix.env() == :prod",
    ],
)
def test_non_evaluable_expressions_become_unknown(expr: str) -> None:
    assert evaluate(expr) == Unknown(expr)


def test_list_with_unknown_keeps_known_elements() -> None:
    assert evaluate('["lib", Path.wildcard("x"), "test"]') == [
        "lib",
        Unknown('Path.wildcard("x")'),
        "test",
    ]
    assert evaluate("[1] ++ Mix.env()") == [1, Unknown("Mix.env()")]


SAMPLE = '''
defmodule Sample.Helpers do
  @moduledoc """
  Helpers with a heredoc.
  """

  @version "1.2.3"
  @deps [{:jason, "~> 1.4"}]
  @tagged "v" <> @version

  def version, do: @version
  def tag(), do: @tagged

  defp deps do
    base = @deps
    # a comment between statements
    base ++ extra()
  end

  defp extra, do: [{:plug, "~> 1.15"}]

  defp paths(:test), do: ["lib", "test/support"]
  defp paths(_), do: ["lib"]
  def test_paths, do: paths(:test)
  def dev_paths, do: paths(:dev)
  def env_paths, do: paths(Mix.env())
  def guarded(x) when is_atom(x), do: x
  def call_guarded, do: guarded(:a)
  def forever, do: forever()
  def no_parens, do: extra
  def self_name, do: __MODULE__
  def late, do: @late
  @late :set_after_use
end
'''


def test_module_functions_and_attributes() -> None:
    ev = module_evaluator(SAMPLE)
    assert ev.module.name == "Sample.Helpers"
    assert ev.call("version") == "1.2.3"
    assert ev.call("tag") == "v1.2.3"
    assert ev.call("deps") == [(Atom("jason"), "~> 1.4"), (Atom("plug"), "~> 1.15")]
    assert ev.call("no_parens") == [(Atom("plug"), "~> 1.15")]
    assert ev.call("self_name") == Alias("Sample.Helpers")
    assert ev.attribute("moduledoc") == "Helpers with a heredoc.\n"


def test_multi_clause_functions_pick_the_matching_clause() -> None:
    ev = module_evaluator(SAMPLE)
    assert ev.call("test_paths") == ["lib", "test/support"]
    assert ev.call("dev_paths") == ["lib"]
    assert ev.call("env_paths") == Unknown("paths(Mix.env())")
    assert ev.call("call_guarded") == Unknown("guarded(:a)")


def test_recursion_and_attributes_used_before_definition_are_unknown() -> None:
    ev = module_evaluator(SAMPLE)
    assert ev.call("forever") == Unknown("forever()")
    assert ev.call("late") == Unknown("@late")
    assert ev.call("missing") == Unknown("missing()")


def test_nested_modules_are_found_with_full_names() -> None:
    root = parse_source(
        "defmodule Outer do\n  defmodule Inner do\n    use GenServer\n  end\nend\n", "x.ex"
    )
    modules = find_modules(root)
    assert [m.name for m in modules] == ["Outer", "Outer.Inner"]
    assert [m.uses("GenServer") for m in modules] == [False, True]


def test_keyword_helpers() -> None:
    value = evaluate("[app: :demo, app: :second, start_permanent: Mix.env() == :prod]")
    assert is_keyword(value)
    assert keyword_get(value, "app") == Atom("demo")
    assert keyword_get(value, "missing", "default") == "default"
    assert keyword_items(value)[2] == ("start_permanent", Unknown("Mix.env() == :prod"))
    assert has_unknown(value)
    partial = evaluate("[app: :demo] ++ common()")
    assert keyword_get(partial, "version") is None
    assert keyword_get(partial, "app") == Atom("demo")
    assert not is_keyword(evaluate("[1, 2]"))


def test_unclosed_do_points_at_the_missing_end() -> None:
    source = (
        "defmodule Broken do\n  def project do\n    [app: :broken]\n\n  defp deps, do: []\nend\n"
    )
    with pytest.raises(ParseError) as info:
        parse_source(source, "mix.exs")
    err = info.value
    assert (err.path, err.line, err.column) == ("mix.exs", 6, 4)
    assert err.detail == "syntax error: missing `end` to close `do` on line 1"
    assert str(err) == "mix.exs:6:4: syntax error: missing `end` to close `do` on line 1"


def test_unclosed_bracket_points_at_its_line() -> None:
    source = "defmodule Broken do\n  def project do\n    [app: :broken, x: {1, 2]\n  end\nend\n"
    with pytest.raises(ParseError) as info:
        parse_source(source, "mix.exs")
    assert (info.value.line, info.value.column) == (3, 28)
    assert info.value.detail == "syntax error: missing `}` to close `{` on line 3"


def test_missing_bracket_is_reported_after_the_last_token() -> None:
    source = "defmodule Broken do\n  def project do\n    [app: :broken\n  end\nend\n"
    with pytest.raises(ParseError) as info:
        parse_source(source, "mix.exs")
    assert (info.value.line, info.value.column) == (3, 18)
    assert info.value.detail == "syntax error: missing `]` to close `[` on line 3"


def test_column_counts_characters_not_bytes() -> None:
    with pytest.raises(ParseError) as info:
        parse_source('["héllo", {1, 2]', "x.exs")
    assert (info.value.line, info.value.column) == (1, 16)


def test_stray_token_is_a_syntax_error() -> None:
    with pytest.raises(ParseError) as info:
        parse_source("[app: :a, b: ]\n", "x.exs")
    assert (info.value.line, info.value.column) == (1, 11)
    assert info.value.detail == "syntax error near `b:`"


def test_a_term_nested_1000_levels_deep_is_refused_in_one_line() -> None:
    from kubenative.errors import ParseError
    from kubenative.project.elixir_parse import parse_source

    deep = "x = " + "[" * 1000 + "]" * 1000 + "\n"
    with pytest.raises(ParseError, match=r"^config.exs:1:\d+: terms nested more than 200"):
        parse_source(deep, "config.exs")
    broken = "x = " + "[" * 1000 + "]" * 999 + "\n"
    with pytest.raises(ParseError, match="syntax error"):
        parse_source(broken, "config.exs")
    parse_source("x = " + "[" * 150 + "]" * 150 + "\n", "config.exs")
