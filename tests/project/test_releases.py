"""Release tool, the suggested releases: entry, and the project's own start script."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubenative.project import releases as rules
from kubenative.project.inspect import inspect_project
from kubenative.project.mix_exs import Dep, parse_mix_exs
from kubenative.project.model import App
from kubenative.project.releases import atom, releases, start_script, suggested_releases

MIX = """defmodule Shop.MixProject do
  use Mix.Project
  def project, do: [app: :shop, version: "0.1.0"{extra}]
end
"""


def read(path: Path) -> str:
    return path.read_text()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("shop", "shop"),
        ("my-shop", "my_shop"),
        ("2024app", "app_2024app"),
        ("Ünï", "n"),
        ("--", "app"),
    ],
)
def test_atoms_made_from_folder_names_are_valid_elixir(name: str, expected: str) -> None:
    assert atom(name) == expected


def test_the_suggestion_lists_every_web_app() -> None:
    apps = (
        App("core", "apps/core", False),
        App("web", "apps/web", True),
        App("admin-ui", "apps/a", True),
    )
    assert suggested_releases("my-shop", apps) == (
        "releases: [my_shop: [applications: [web: :permanent, admin_ui: :permanent]]]"
    )
    assert "core: :permanent" in suggested_releases("x", (App("core", "apps/core", False),))


@pytest.mark.parametrize(
    ("extra", "deps", "rel_config", "tool"),
    [
        (", releases: [shop: []]", [Dep("distillery", runtime=False)], True, "mix"),
        ("", [Dep("distillery")], False, "distillery"),
        ("", [Dep("distillery", only=("dev",))], False, "mix"),
        ("", [], True, "mix"),
        ("", [Dep("distillery", only=("dev",))], True, "mix"),
    ],
)
def test_the_release_tool_is_the_one_the_project_uses(
    tmp_path: Path, extra: str, deps: list[Dep], rel_config: bool, tool: str
) -> None:
    if rel_config:
        (tmp_path / "rel").mkdir()
        (tmp_path / "rel" / "config.exs").write_text("release :shop do\nend\n")
    top = parse_mix_exs(MIX.replace("{extra}", extra))
    warnings: list[str] = []
    found, names = releases(tmp_path, top, (App("shop", ".", False),), deps, read, warnings)
    assert found == tool
    missing_config = tool == "distillery" and not rel_config
    assert [r.name for r in names] == ([] if missing_config else ["shop"])
    leftover = tool == "mix" and rel_config
    assert bool(warnings) == ((tool == "mix" and bool(extra)) or missing_config or leftover)


def test_the_start_script_is_server_or_one_that_starts_the_release(tmp_path: Path) -> None:
    assert start_script(tmp_path, read) is None
    folder = tmp_path / "rel" / "overlays" / "bin"
    folder.mkdir(parents=True)
    (folder / "migrate").write_text('#!/bin/sh\nexec ./shop eval "Shop.Release.migrate"\n')
    assert start_script(tmp_path, read) is None
    (folder / "boot").write_text("#!/bin/sh\nexport X=1\nexec ./shop start\n")
    (folder / "boot.bat").write_text("shop.bat start\n")
    assert start_script(tmp_path, read) == "boot"
    (folder / "server").write_text("#!/bin/sh\nPHX_SERVER=true exec ./shop start\n")
    assert start_script(tmp_path, read) == "server"


def test_a_release_with_its_own_templates_path_has_its_overlays_there(tmp_path: Path) -> None:
    # livebook: `rel_templates_path: "rel/server"`, so Mix copies rel/server/overlays into the
    # release and its bin/server is the start script.
    top = parse_mix_exs(
        MIX.replace(
            "{extra}",
            ', releases: [shop: [rel_templates_path: "rel/server"]]',
        )
    )
    _, found = releases(tmp_path, top, (App("shop", ".", True),), [], read, [])
    assert [(r.name, r.templates) for r in found] == [("shop", "rel/server")]
    folder = tmp_path / "rel" / "server" / "overlays" / "bin"
    folder.mkdir(parents=True)
    (folder / "server").write_text("#!/bin/sh\nexec ./shop start\n")
    assert start_script(tmp_path, read) is None
    assert start_script(tmp_path, read, "rel/server") == "server"


def test_deps_behind_a_helper_leave_phoenix_to_the_lock(tmp_path: Path) -> None:
    # livebook: `deps: with_lock(target_deps(Mix.target()) ++ deps())` cannot be read, so a
    # single project's lock says whether it is a Phoenix app (its endpoint, digest, server).
    (tmp_path / "mix.exs").write_text(
        "defmodule Book.MixProject do\n  use Mix.Project\n"
        '  def project, do: [app: :book, version: "0.1.0", deps: with_lock(deps())]\n'
        '  defp deps, do: [{:phoenix, "~> 1.8"}]\n'
        "  defp with_lock(deps), do: deps\nend\n"
    )
    (tmp_path / "mix.lock").write_text(
        '%{\n  "phoenix": {:hex, :phoenix, "1.8.1", "aa", [:mix], [], "hexpm", "aa"},\n}\n'
    )
    (tmp_path / "lib").mkdir()
    project = inspect_project(tmp_path)
    assert [(a.name, a.phoenix) for a in project.apps] == [("book", True)]


def test_distillery_builds_the_environment_its_config_declares() -> None:
    """`--env=prod` on a config without a prod environment stops the build: the default
    environment it names is the one built (Nebo15/annon.api's `:default`)."""
    only_default = (
        "use Mix.Releases.Config, default_release: :default, default_environment: :default\n"
        'environment :default do\n  set pre_start_hook: "bin/hooks/pre-start.sh"\nend\n'
        'environment :dev do\n  set vm_args: "dev/vm.args"\nend\n'
    )
    assert rules.distillery_environment(only_default, "rel/config.exs") == "default"
    paths = rules.distillery_paths(only_default, "rel/config.exs")
    assert [(n.path, n.what, n.where) for n in paths] == [
        ("bin/hooks/pre-start.sh", "pre_start_hook", "rel/config.exs:3")
    ]
    with_prod = (
        "use Mix.Releases.Config, default_environment: Mix.env()\nenvironment :prod do\nend\n"
    )
    assert rules.distillery_environment(with_prod, "rel/config.exs") == "prod"
    assert rules.distillery_environment("release :a do\nend\n", "rel/config.exs") == "prod"
