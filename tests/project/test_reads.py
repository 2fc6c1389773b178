"""Finding the files Elixir code reads, on the syntax tree: each shape real projects write."""

from __future__ import annotations

import pytest

from kubenative.project.reads import glob_folder, scan


def _paths(source: str, path: str = "lib/x.ex", cwd: str = ".", script: bool = False) -> list:
    found = scan(source, path, cwd, script=script)
    return [(r.path, r.when, r.where.rsplit(":", 1)[1]) for r in found.reads]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('@version File.read!("VERSION")', "VERSION"),
        ('@version "VERSION" |> File.read!() |> String.trim()', "VERSION"),
        ('@v File.read!(Path.join(__DIR__, "VERSION"))', "lib/VERSION"),
        ('@v File.read!(Path.join([__DIR__, "..", "VERSION"]))', "VERSION"),
        ('@v File.read!(Path.expand("../VERSION", __DIR__))', "VERSION"),
        ('@v File.read!(__DIR__ <> "/../VERSION")', "VERSION"),
        ('@v File.read!("#{__DIR__}/../VERSION")', "VERSION"),
        ('@dir "data"\n@v File.read!(Path.join(@dir, "a.json"))', "data/a.json"),
        ('@external_resource "README.md"', "README.md"),
        ('@external_resource readme = Path.join(__DIR__, "../README.md")', "README.md"),
        ('Code.require_file("helpers.exs", __DIR__)', "lib/helpers.exs"),
        ('Code.eval_file("helpers.exs")', "helpers.exs"),
        ('@files Path.wildcard("data/*.json")', "data/*.json"),
        ('@files "data" |> Path.join("*.json") |> Path.wildcard()', "data/*.json"),
    ],
)
def test_build_time_reads_resolve_to_a_path_from_the_root(source: str, expected: str) -> None:
    reads = _paths(f"defmodule X do\n{source}\nend\n")
    assert reads and all(path == expected and when == "build" for path, when, _ in reads)


def test_a_for_over_path_wildcard_binds_the_glob() -> None:
    source = (
        "defmodule X do\n"
        '  for file <- Path.wildcard("priv/colors/*.json") do\n'
        "    @external_resource file\n"
        "  end\n"
        "end\n"
    )
    found = scan(source, "lib/x.ex", ".", script=False)
    assert {(r.path, r.call) for r in found.reads} == {
        ("priv/colors/*.json", "Path.wildcard"),
        ("priv/colors/*.json", "@external_resource"),
    }
    assert found.unresolved == []


def test_function_bodies_run_at_boot_and_have_their_own_variables() -> None:
    source = (
        "defmodule X do\n"
        '  for path <- Path.wildcard("data/*.json"), do: @external_resource path\n'
        '  def home, do: File.read!("content/home.toml")\n'
        "  def load(path), do: File.read!(path)\n"
        '  def page(name), do: File.read!(Path.join("content", name))\n'
        "end\n"
    )
    found = scan(source, "apps/web/lib/x.ex", "apps/web", script=False)
    boot = [(r.path, r.where) for r in found.reads if r.when == "boot"]
    assert boot == [
        ("content/home.toml", "apps/web/lib/x.ex:3"),
        ("content", "apps/web/lib/x.ex:5"),
    ]
    # Build-time reads are relative to the app Mix compiles in; boot reads to the release.
    assert {r.path for r in found.reads if r.when == "build"} == {"apps/web/data/*.json"}
    assert [u.where for u in found.unresolved] == ["apps/web/lib/x.ex:4"]


def test_paths_inside_the_release_or_the_system_need_nothing() -> None:
    source = (
        "defmodule X do\n"
        '  def a, do: File.read!(Application.app_dir(:x, "priv/a.json"))\n'
        '  def b, do: File.read!(Path.join(:code.priv_dir(:x), "b.json"))\n'
        '  def c, do: File.read!("/etc/hostname")\n'
        "end\n"
    )
    found = scan(source, "lib/x.ex", ".", script=False)
    assert found.reads == [] and found.unresolved == []


def test_an_unknown_path_is_reported_with_its_line() -> None:
    source = 'defmodule X do\n  @extra File.read!(System.get_env("EXTRA"))\nend\n'
    found = scan(source, "lib/x.ex", ".", script=False)
    assert [(u.where, u.when) for u in found.unresolved] == [("lib/x.ex:2", "build")]


def test_git_reads_and_git_commands_are_found() -> None:
    source = (
        "defmodule X.MixProject do\n"
        "  use Mix.Project\n"
        '  defp rev, do: File.read(".git/HEAD")\n'
        '  defp sha, do: System.cmd("git", ["rev-parse", "HEAD"])\n'
        "end\n"
    )
    found = scan(source, "mix.exs", ".", script=True)
    assert found.git == ["mix.exs:3", "mix.exs:4"]
    assert found.reads == []


def test_scripts_run_every_line_at_build_time() -> None:
    source = 'defmodule X.MixProject do\n  defp v, do: File.read!("VERSION")\nend\n'
    assert _paths(source, "mix.exs", script=True) == [("VERSION", "build", "2")]


def test_environment_reads_in_every_shape() -> None:
    source = (
        "import Config\n"
        'config :x, a: System.get_env("A"), b: System.get_env("B", "1")\n'
        'config :x, c: System.fetch_env!("C")\n'
        'config :x, d: Map.fetch!(System.get_env(), "D")\n'
        'config :x, e: System.get_env()["E"]\n'
        "config :x, f: System.get_env(name)\n"
    )
    found = scan(source, "config/prod.exs", ".", script=True)
    assert [(e.name, e.where) for e in found.env] == [
        ("A", "config/prod.exs:2"),
        ("B", "config/prod.exs:2"),
        ("C", "config/prod.exs:3"),
        ("D", "config/prod.exs:4"),
        ("E", "config/prod.exs:5"),
        (None, "config/prod.exs:6"),
    ]


@pytest.mark.parametrize(
    ("glob", "folder"),
    [
        ("data/*.json", "data"),
        ("priv/data/**/*.json", "priv/data"),
        ("*.md", ""),
        ("data/x.json", "data/x.json"),
    ],
)
def test_glob_folder(glob: str, folder: str) -> None:
    assert glob_folder(glob) == folder


def test_git_at_run_time_is_not_a_build_read() -> None:
    source = (
        "defmodule X do\n"
        '  @rev System.cmd("git", ["rev-parse", "HEAD"])\n'
        '  def rev, do: System.cmd("git", ["rev-parse", "HEAD"])\n'
        "end\n"
    )
    assert scan(source, "lib/x.ex", ".", script=False).git == ["lib/x.ex:2"]


def test_a_glob_kept_in_an_attribute_and_mapped_with_a_function() -> None:
    source = (
        "defmodule X do\n"
        '  @paths Path.wildcard("schemas/*.json")\n'
        "  for path <- @paths, do: @external_resource(path)\n"
        "  @all Map.new(@paths, fn path -> {path, File.read!(path)} end)\n"
        "  def get(path), do: File.read!(path)\n"
        "end\n"
    )
    found = scan(source, "lib/x.ex", ".", script=False)
    assert {(r.path, r.where) for r in found.reads} == {
        ("schemas/*.json", "lib/x.ex:2"),
        ("schemas/*.json", "lib/x.ex:3"),
        ("schemas/*.json", "lib/x.ex:4"),
    }
    # The function's parameter outside the fn is not the glob: a run-time read of a parameter.
    assert [u.where for u in found.unresolved] == ["lib/x.ex:5"]


def test_config_files_found_from_the_working_directory() -> None:
    source = (
        "import Config\n"
        "for file <- Path.wildcard(\n"
        '  Path.join([File.cwd!(), "config", "compile_time", "*.exs"])) do\n'
        "  import_config(file)\n"
        "end\n"
        'Code.require_file("runtime.prod.exs", "config")\n'
    )
    found = scan(source, "config/config.exs", ".", script=True)
    assert [r.path for r in found.reads] == [
        "config/compile_time/*.exs",
        "config/runtime.prod.exs",
    ]
    assert found.unresolved == []


@pytest.mark.parametrize(
    "source",
    [
        # a list folded by Path.join, piped into the reader (issue 16)
        "[__DIR__ | ~w(.. .. .. config helper.exs)] |> Path.join() |> Code.eval_file()",
        '__DIR__ |> Path.join("../../../config/helper.exs") |> Code.eval_file()',
        'Code.eval_file(Path.join([__DIR__, "..", "..", "..", "config", "helper.exs"]))',
        'Code.eval_file(Path.expand("../../../config/helper.exs", __DIR__))',
    ],
)
def test_a_config_helper_in_any_form_the_ast_folds(source: str) -> None:
    found = scan(source + "\n", "apps/web/config/config.exs", ".", script=True)
    assert [r.path for r in found.reads] == ["config/helper.exs"]
    assert found.unresolved == []


def test_reads_through_libraries_and_an_interpolated_folder() -> None:
    source = """
defmodule Site do
  use NimblePublisher, build: Post, from: "posts/**/*.md", as: :posts
  require EEx
  EEx.function_from_file(:def, :email, "templates/email.eex", [:name])
  @terms :file.consult("priv/terms.config")
  @settings YamlElixir.read_from_file!("settings.yml")
  for name <- ~w(intro usage), do: @external_resource "guides/#{name}.md"
end
"""
    found = scan(source, "lib/site.ex", ".", script=False)
    assert [(r.path, r.call) for r in found.reads] == [
        ("posts/**/*.md", "use NimblePublisher, from:"),
        ("templates/email.eex", "EEx.function_from_file"),
        ("priv/terms.config", ":file.consult"),
        ("settings.yml", "YamlElixir.read_from_file!"),
        ("guides", "@external_resource"),
    ]
    assert found.unresolved == []
