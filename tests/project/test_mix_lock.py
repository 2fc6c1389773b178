# ruff: noqa: E501  (mix.lock lines are long; the fixtures keep their real shape)
"""Static reading of mix.lock files."""

from __future__ import annotations

import pytest

from kubenative.errors import ParseError
from kubenative.project.mix_lock import LockEntry, parse_mix_lock

H1 = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
H2 = "f9e8d7c6b5a49382716f5e4d3c2b1a09f9e8d7c6b5a49382716f5e4d3c2b1a09"

MODERN_LOCK = f"""%{{
  "bcrypt_elixir": {{:hex, :bcrypt_elixir, "3.1.0", "{H1}", [:make, :mix], [{{:comeonin, "~> 5.3", [hex: :comeonin, repo: "hexpm", optional: false]}}, {{:elixir_make, "~> 0.6", [hex: :elixir_make, repo: "hexpm", optional: false]}}], "hexpm", "{H2}"}},
  "billing_client": {{:hex, :billing_client, "2.1.4", "{H1}", [:mix], [{{:jason, "~> 1.2", [hex: :jason, repo: "hexpm", optional: true]}}], "hexpm:acme", "{H2}"}},
  "cowboy": {{:hex, :cowboy, "2.10.0", "{H1}", [:make, :rebar3], [{{:cowlib, "2.12.1", [hex: :cowlib, repo: "hexpm", optional: false]}}, {{:ranch, "1.8.0", [hex: :ranch, repo: "hexpm", optional: false]}}], "hexpm", "{H2}"}},
  "heroicons": {{:git, "https://github.com/tailwindlabs/heroicons.git", "88ab3a0d790e6a47404cba02800a6b25d2afae50", [tag: "v2.1.1", sparse: "optimized"]}},
  "jason": {{:hex, :jason, "1.4.1", "{H1}", [:mix], [{{:decimal, "~> 1.0 or ~> 2.0", [hex: :decimal, repo: "hexpm", optional: true]}}], "hexpm", "{H2}"}},
  "ranch": {{:hex, :ranch, "1.8.0", "{H1}", [:make, :rebar3], [], "hexpm", "{H2}"}},
  "telemetry": {{:hex, :telemetry, "1.2.1", "{H1}", [:rebar3], [], "hexpm", "{H2}"}},
  "xml_builder": {{:hex, :xml_builder_ex, "2.1.0", "{H1}", [:mix], [], "hexpm", "{H2}"}},
}}
"""


def test_modern_lock() -> None:
    entries = parse_mix_lock(MODERN_LOCK)
    assert entries == (
        LockEntry(
            name="bcrypt_elixir",
            scm="hex",
            version="3.1.0",
            package="bcrypt_elixir",
            build_tools=("make", "mix"),
            repo="hexpm",
            deps=("comeonin", "elixir_make"),
        ),
        LockEntry(
            name="billing_client",
            scm="hex",
            version="2.1.4",
            package="billing_client",
            build_tools=("mix",),
            repo="hexpm:acme",
            deps=("jason",),
            optional_deps=("jason",),
        ),
        LockEntry(
            name="cowboy",
            scm="hex",
            version="2.10.0",
            package="cowboy",
            build_tools=("make", "rebar3"),
            repo="hexpm",
            deps=("cowlib", "ranch"),
        ),
        LockEntry(
            name="heroicons",
            scm="git",
            git_url="https://github.com/tailwindlabs/heroicons.git",
            git_ref="88ab3a0d790e6a47404cba02800a6b25d2afae50",
        ),
        LockEntry(
            name="jason",
            scm="hex",
            version="1.4.1",
            package="jason",
            build_tools=("mix",),
            repo="hexpm",
            deps=("decimal",),
            optional_deps=("decimal",),
        ),
        LockEntry(
            name="ranch",
            scm="hex",
            version="1.8.0",
            package="ranch",
            build_tools=("make", "rebar3"),
            repo="hexpm",
        ),
        LockEntry(
            name="telemetry",
            scm="hex",
            version="1.2.1",
            package="telemetry",
            build_tools=("rebar3",),
            repo="hexpm",
        ),
        LockEntry(
            name="xml_builder",
            scm="hex",
            version="2.1.0",
            package="xml_builder_ex",
            build_tools=("mix",),
            repo="hexpm",
        ),
    )


OLD_LOCK = f"""%{{"poison": {{:hex, :poison, "3.1.0", "{H1}", [:mix], []}},
  "cowlib": {{:hex, :cowlib, "1.0.2", "{H1}", [:make], [], "hexpm"}},
  "local_lib": {{:path, "../local_lib", []}},
  "plug": {{:hex, :plug, "1.5.0", "{H1}", [:mix], [{{:cowboy, "~> 1.0.1 or ~> 1.1 or ~> 2.3", [hex: :cowboy, repo: "hexpm", optional: true]}}, {{:mime, "~> 1.0", [hex: :mime, repo: "hexpm", optional: false]}}], "hexpm"}}}}
"""


def test_older_shorter_tuples() -> None:
    entries = {e.name: e for e in parse_mix_lock(OLD_LOCK)}
    assert list(entries) == ["cowlib", "local_lib", "plug", "poison"]
    assert entries["poison"] == LockEntry(
        name="poison",
        scm="hex",
        version="3.1.0",
        package="poison",
        build_tools=("mix",),
        repo="hexpm",
    )
    assert entries["cowlib"].build_tools == ("make",)
    assert entries["plug"].deps == ("cowboy", "mime")
    assert entries["plug"].optional_deps == ("cowboy",)
    assert entries["local_lib"] == LockEntry(name="local_lib", scm="path")


def test_arrow_keyed_map() -> None:
    source = f"""%{{"certifi" => {{:hex, :certifi, "2.0.0", "{H1}", [:rebar3], [], "hexpm"}},
  "mime" => {{:hex, :mime, "1.2.0", "{H1}", [:mix], [], "hexpm"}}}}
"""
    entries = parse_mix_lock(source)
    assert [(e.name, e.version, e.build_tools) for e in entries] == [
        ("certifi", "2.0.0", ("rebar3",)),
        ("mime", "1.2.0", ("mix",)),
    ]


@pytest.mark.parametrize("source", ["", "\n", "%{}\n"])
def test_empty_lock(source: str) -> None:
    assert parse_mix_lock(source) == ()


@pytest.mark.parametrize(
    ("source", "line", "column", "detail"),
    [
        ("[1, 2]\n", 1, 1, "expected a single map literal `%{...}`"),
        ('%{\n  "a": "not a tuple"\n}\n', 2, 8, "unrecognised lock entry for `a`"),
        # The `}` on line 3 closes the tuple, so the map is the unclosed one.
        (
            '%{\n  "a": {:hex, :a, "1.0.0"\n}\n',
            3,
            2,
            "syntax error: missing `}` to close `{` on line 1",
        ),
        ('%{"a": {:hex, :a, "1.0.0"]}', 1, 26, "syntax error near `]`"),
    ],
)
def test_malformed_lock(source: str, line: int, column: int, detail: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_mix_lock(source, "apps/x/mix.lock")
    err = info.value
    assert (err.path, err.line, err.column, err.detail) == ("apps/x/mix.lock", line, column, detail)
