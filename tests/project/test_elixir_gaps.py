"""Valid Elixir that tree-sitter-elixir misreads, mended before parsing; and source files read
in part when they still do not parse (see kubenative.project.elixir_mend and elixir_parse)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubenative import app
from kubenative.errors import ParseError
from kubenative.project.elixir_ast import Evaluator, Value, find_modules
from kubenative.project.elixir_parse import parse_source, partial_reads, strict_file
from kubenative.project.elixir_tree import call_name, remote_name, text, walk


def evaluate(expr: str, path: str = "lib/sample.ex") -> Value:
    root = parse_source(expr, path)
    (node,) = [n for n in root.named_children if n.type != "comment"]
    return Evaluator().evaluate(node)


def called(source: str, path: str = "lib/sample.ex") -> list[tuple[str, int, int]]:
    """Every remote call the tree holds, with its line and column (1-based)."""
    return [
        (name, n.start_point[0] + 1, n.start_point[1] + 1)
        for n in walk(parse_source(source, path))
        if (name := remote_name(n)) is not None
    ]


# --- 1. An uppercase sigil whose content ends in an even run of backslashes ----------------
# Elixir's tokenizer pairs a backslash with the next character in every sigil: `~S(\\)` is the
# two characters `\\`, and the `)` closes it. tree-sitter-elixir 0.3.5 reads `\)` as an escaped
# delimiter and runs on.


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (r"~S(\\)", "\\\\"),
        (r"~S'\\'", "\\\\"),
        (r'~S"\\"', "\\\\"),
        (r"~S|\\|", "\\\\"),
        (r"~S/\\/", "\\\\"),
        (r"~S[\\]", "\\\\"),
        (r"~S{\\}", "\\\\"),
        (r"~S<\\>", "\\\\"),
        (r"~S(a\\\\)", "a\\\\\\\\"),
        (r"~C(\\)", "\\\\"),
        # odd runs were read right all along: the last backslash escapes the delimiter
        (r"~S(\))", ")"),
        (r"~S(\\\))", "\\\\)"),
        # lowercase sigils and strings have escapes, and tree-sitter reads them right
        (r"~s(\\)", "\\"),
        (r'"\\"', "\\"),
        (r"'\\'", "\\"),
    ],
)
def test_sigil_content_ending_in_backslashes_has_elixirs_value(expr: str, expected: str) -> None:
    assert evaluate(expr) == expected


@pytest.mark.parametrize("sigil", [r"~R/a\\/", r"~HTML(\\)", r"~S(\\)"])
def test_the_code_after_such_a_sigil_is_read_where_it_is(sigil: str) -> None:
    source = f'x = [{sigil}, File.read!("VERSION")]\ny = System.cmd("git", [])\n'
    column = len(f"x = [{sigil}, ") + 1
    assert called(source) == [("File.read!", 1, column), ("System.cmd", 2, 5)]


def test_the_tree_shows_the_source_as_written() -> None:
    # The mended byte is put back in the buffer the tree reads its text from (py-tree-sitter
    # keeps the buffer it parsed): a tree-sitter upgrade that copies it fails here.
    source = 'defp scan(~S"\\\\" <> rest), do: ~S"\\\\" <> rest\n'
    root = parse_source(source, "lib/scan.ex")
    assert text(root) == source
    sigils = [text(n) for n in walk(root) if n.type == "sigil"]
    assert sigils == ['~S"\\\\"', '~S"\\\\"']


def test_a_sigil_misread_without_any_error_is_mended_too() -> None:
    # tree-sitter reads the first sigil on to the second one's `)`: one statement, no error.
    source = "a = ~S(\\\\)\nb = ~S(x)\nc = 1\n"
    root = parse_source(source, "lib/two.ex")
    assigned = [text(n.child_by_field_name("left") or n) for n in root.named_children]
    assert assigned == ["a", "b", "c"]


def test_clauses_matching_on_such_sigils_are_all_found() -> None:
    source = (
        "defmodule Scan do\n"
        "  def scan(~S'\\\\' <> rest, acc), do: scan(rest, acc <> ~S'\\\\')\n"
        "  def scan(~S'\\\"' <> rest, acc), do: scan(rest, acc <> ~S'\"')\n"
        "  def scan(<<c>> <> rest, acc), do: scan(rest, acc <> <<c>>)\n"
        "  def done, do: :ok\n"
        "end\n"
    )
    (module,) = find_modules(parse_source(source, "lib/scan.ex"))
    assert sorted(module.functions) == [("done", 0), ("scan", 2)]
    assert len(module.functions[("scan", 2)]) == 3


def test_a_syntax_error_after_a_mended_sigil_keeps_its_line_and_column() -> None:
    source = 'x = ~S(\\\\)\ny = f(~S(\\\\), "é", 1\n'
    with pytest.raises(ParseError) as info:
        parse_source(source, "mix.exs")
    with pytest.raises(ParseError) as plain:  # the same error with sigils of no backslash
        parse_source(source.replace("\\\\", "ab"), "mix.exs")
    assert str(info.value) == str(plain.value)
    assert str(info.value) == "mix.exs:2:21: syntax error: missing `)` to close `(` on line 2"


# --- 2. A trailing comma after the keyword pairs of a map update --------------------------


@pytest.mark.parametrize(
    "expr",
    [
        "%{state | count: 1,}",
        "%Idea{idea | body: 1, author: nil,\n}",
        "%{state | count: 1, # last one\n}",
        "%{state | count: 1,\n  # last one\n}",
    ],
)
def test_a_map_update_may_end_in_a_comma(expr: str) -> None:
    root = parse_source(f'x = {expr}\ny = File.read!("a")\n', "lib/update.ex")
    assert not root.has_error
    (update,) = [n for n in walk(root) if n.type == "map"]
    assert text(update) == expr
    assert [remote_name(n) for n in walk(root) if remote_name(n)] == ["File.read!"]


def test_a_map_update_with_nothing_after_the_bar_is_still_an_error() -> None:
    with pytest.raises(ParseError, match=r"^mix.exs:1:"):
        parse_source("%{state | ,}\n", "mix.exs")


# --- Char literals: read right by tree-sitter-elixir 0.3.5 ---------------------------------


@pytest.mark.parametrize(
    ("expr", "expected"),
    [("?,", 44), ("[?,, ?}]", [44, 125]), ("{?,, ?;}", (44, 59)), ("?)", 41), ("?\\\\", 92)],
)
def test_char_literals_of_punctuation(expr: str, expected: Value) -> None:
    assert evaluate(expr) == expected


def test_a_binary_of_a_comma_char() -> None:
    source = "def f(<<?,>> <> rest), do: rest\ndef g(<<c>> <> _) when c in [?,, ?}], do: c\n"
    root = parse_source(source, "lib/chars.ex")
    assert [call_name(n) for n in root.named_children] == ["def", "def"]


# --- Files read in part -------------------------------------------------------------------

BROKEN = (
    "defmodule Broken do\n"
    '  def a, do: File.read!("before.txt")\n'
    "  def b(x) do\n"
    '    case x do 1 -> File.read!("inside.txt") ) ) end\n'
    "  end\n"
    '  def c, do: System.cmd("git", [])\n'
    "end\n"
)


def test_outside_partial_reads_a_syntax_error_still_raises() -> None:
    with pytest.raises(ParseError, match=r"^lib/broken.ex:4:45: syntax error near `\) \)`$"):
        parse_source(BROKEN, "lib/broken.ex")


def test_a_source_file_is_read_without_its_broken_part() -> None:
    with partial_reads() as partial:
        found = called(BROKEN, "lib/broken.ex")
        called(BROKEN, "lib/broken.ex")  # a second reader: still one warning
    assert found == [("File.read!", 2, 14), ("File.read!", 4, 20), ("System.cmd", 6, 14)]
    (warning,) = partial.warnings
    assert warning.startswith(
        "lib/broken.ex:4:45: syntax error near `) )`: kubenative's Elixir parser "
        "(tree-sitter-elixir) reads this file without the part it cannot parse (in line 4), "
        "so what is written there (a file read, a program run, a listener, an environment "
        "variable) is not taken into account;"
    )
    with partial_reads() as again:  # the parse is cached; the warning is noted again
        parse_source(BROKEN, "lib/broken.ex")
    assert again.warnings == partial.warnings


def test_what_an_unclosed_block_holds_is_not_read() -> None:
    source = BROKEN.replace(") ) end", "").replace("System.cmd", "System.shell")
    with partial_reads() as partial:
        found = called(source, "apps/web/lib/broken.ex")
    assert found == []  # the module's `do` never closes: none of it is read
    (warning,) = partial.warnings
    assert "cannot read any of this file" in warning
    source = "defmodule A do\n  def a do\n    [1, 2\n  end\nend\n" + 'File.read!("after")\n'
    with partial_reads() as partial:
        found = called(source, "lib/a.ex")
    assert found == [("File.read!", 6, 1)]  # only the unclosed list is left out
    assert "(in line 3)" in partial.warnings[0]


@pytest.mark.parametrize(
    ("path", "strict"),
    [
        ("mix.exs", True),
        ("apps/web/mix.exs", True),
        ("mix.lock", True),
        ("config/prod.exs", True),
        ("config/prod/endpoint.exs", True),
        ("apps/web/config/config.exs", True),
        ("rel/config.exs", True),
        ("lib/app/web.ex", False),
        ("apps/web/lib/web/endpoint.ex", False),
        ("lib/app/config/reader.ex", False),
        ("rel/plugins/hook.exs", False),
        ("priv/repo/seeds.exs", False),
    ],
)
def test_which_files_are_refused_rather_than_read_in_part(path: str, strict: bool) -> None:
    assert strict_file(path) is strict
    with partial_reads() as partial:
        if strict:
            with pytest.raises(ParseError):
                parse_source(BROKEN, path)
        else:
            parse_source(BROKEN, path)
    assert len(partial.warnings) == (0 if strict else 1)


MIX = """defmodule Shop.MixProject do
  use Mix.Project

  def project do
    [app: :shop, version: "0.1.0", elixir: "~> 1.15", deps: []]
  end

  def application, do: [mod: {Shop.Application, []}]
end
"""


def _project(root: Path, files: dict[str, str]) -> Path:
    for rel, content in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(content)
    return root


def test_inspect_reads_a_broken_source_file_in_part_with_one_warning(tmp_path: Path) -> None:
    root = _project(tmp_path, {"mix.exs": MIX, "mix.lock": "%{}\n", "lib/broken.ex": BROKEN})
    project = app.inspect(str(root))
    assert project.problems == ()
    partial = [w for w in project.warnings if w.startswith("lib/broken.ex:4:45:")]
    assert len(partial) == 1, project.warnings
    assert "git" in project.to_json()["commands"]  # read after the broken part


def test_inspect_still_refuses_a_broken_mix_exs(tmp_path: Path) -> None:
    broken = MIX.replace("deps: []]", "deps: [)]")
    root = _project(tmp_path, {"mix.exs": broken, "lib/shop.ex": "defmodule Shop do\nend\n"})
    with pytest.raises(ParseError, match=r"^mix.exs:5:62: syntax error near `\)`$"):
        app.inspect(str(root))
    # an umbrella app's mix.exs is a problem: inspect shows the rest, init refuses
    umbrella = MIX.replace("app: :shop,", 'apps_path: "apps",')
    root = _project(tmp_path / "u", {"mix.exs": umbrella, "apps/web/mix.exs": broken})
    project = app.inspect(str(root))
    assert project.problems == ("apps/web/mix.exs:5:62: syntax error near `)`",)
