"""gitignore → dockerignore translation and the Docker-compatible matcher."""

from __future__ import annotations

import pytest

from kubenative.ignore import excluded, translate_gitignore


@pytest.mark.parametrize(
    ("folder", "line", "expected"),
    [
        (".", "*.ez", ["**/*.ez"]),
        (".", "/deps", ["deps"]),
        (".", "/_build/", ["_build"]),
        (".", "npm-debug.log", ["**/npm-debug.log"]),
        (".", "/apps/web/assets/node_modules/", ["apps/web/assets/node_modules"]),
        (".", "priv/static/", ["priv/static"]),
        (".", "!keep.ez", ["!**/keep.ez"]),
        (".", "# a comment", []),
        (".", "   ", []),
        (".", "\\#hash", ["**/#hash"]),
        ("apps/web", "/priv/static/", ["apps/web/priv/static"]),
        ("apps/web", "*.log", ["apps/web/**/*.log"]),
        ("apps/web", "**/tmp", ["apps/web/**/tmp"]),
    ],
)
def test_translate(folder: str, line: str, expected: list[str]) -> None:
    assert translate_gitignore(folder, [line]) == expected


@pytest.mark.parametrize(
    ("path", "patterns", "result"),
    [
        ("foo.ez", ["**/*.ez"], True),
        ("a/b/foo.ez", ["**/*.ez"], True),
        ("foo.ez", ["*.ez"], True),
        ("a/foo.ez", ["*.ez"], False),  # dockerignore anchors at the root
        ("deps/phoenix/mix.exs", ["deps"], True),  # a folder excludes what it holds
        ("lib/deps.ex", ["deps"], False),
        ("mix.lock", ["mix.lock", "!mix.lock"], False),  # the last match wins
        ("config/prod.secret.exs", ["**/*.secret.exs"], True),
        ("apps/web/config/prod.secret.exs", ["**/*.secret.exs"], True),
        ("apps/web/.env.local", ["**/.env.*"], True),
        ("apps/web/assets/node_modules/x/y.js", ["**/node_modules"], True),
        ("a/b", ["a/?"], True),
        ("a/bc", ["a/?"], False),
        ("x1", ["x[0-9]"], True),
        ("xa", ["x[!0-9]"], True),
        ("/lib/app.ex", ["lib"], True),
        ("lib/app.ex", ["./lib"], True),
    ],
)
def test_excluded(path: str, patterns: list[str], result: bool) -> None:
    assert excluded(path, patterns) is result


def test_a_slashless_gitignore_pattern_keeps_matching_at_any_depth() -> None:
    translated = translate_gitignore(".", ["erl_crash.dump"])
    assert excluded("erl_crash.dump", translated)
    assert excluded("apps/web/erl_crash.dump", translated)
    # what a naive copy of the line would get wrong:
    assert not excluded("apps/web/erl_crash.dump", ["erl_crash.dump"])


def test_a_path_is_tested_only_against_patterns_that_can_match_it() -> None:
    """Ignore-rule matching stays linear in the number of umbrella apps: each path meets the
    patterns filed along its own folders, not every app's."""
    from kubenative.ignore import Matcher

    patterns = ["**/*.ez", "doc"] + [
        f"apps/app_{i}/{name}" for i in range(800) for name in ("_build", "deps", "test")
    ]
    matcher = Matcher([*patterns, "!apps/app_7/test"])
    assert len(matcher._candidates(["apps", "app_7", "mix.exs"])) == 1  # **/*.ez
    assert len(matcher._candidates(["apps", "app_7", "test", "a.exs"])) == 3
    assert matcher.excluded("apps/app_5/_build/prod/lib")
    assert not matcher.excluded("apps/app_7/test/x_test.exs")
    assert matcher.excluded("apps/app_8/test/x_test.exs")
    assert matcher.excluded("apps/app_8/priv/a.ez")
    assert not matcher.excluded("apps/app_8/lib/a.ex")
