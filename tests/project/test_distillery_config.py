"""Distillery's rel/config.exs: whether the prod release carries ERTS."""

from __future__ import annotations

DISTILLERY_CONFIG = """
use Distillery.Releases.Config, default_release: :default, default_environment: Mix.env()

environment :dev do
  set dev_mode: true
  set include_erts: false
end

environment :prod do
  set include_erts: %s
end

release :ledger do
  set version: current_version(:ledger)
end
"""


def test_distillery_include_erts_is_read_for_prod_only() -> None:
    from kubenative.project import config_files

    assert config_files.distillery_includes_erts(DISTILLERY_CONFIG % "true", "rel/config.exs")
    assert not config_files.distillery_includes_erts(DISTILLERY_CONFIG % "false", "rel/config.exs")
    release_level = "release :x do\n  set include_erts: false\nend\n"
    assert not config_files.distillery_includes_erts(release_level, "rel/config.exs")


def test_every_setting_comes_from_the_environment_distillery_builds() -> None:
    """Nebo15/annon.api: no `environment :prod`, so `:default` (its default_environment) is
    built: include_erts, vm_args, commands and the paths all come from it, never from :dev."""
    from kubenative.project import config_files, releases
    from kubenative.project.elixir_ast import keyword_items

    source = (
        "use Mix.Releases.Config, default_release: :default, default_environment: :default\n"
        'environment :default do\n  set include_erts: false\n  set vm_args: "rel/vm.args"\n'
        '  set commands: [migrate: "rel/commands/migrate.sh"]\nend\n'
        'environment :dev do\n  set include_erts: true\n  set vm_args: "rel/dev.args"\n'
        '  set commands: [reset: "rel/dev/reset.sh"]\nend\n'
        "release :annon do\n  set version: current_version(:annon)\nend\n"
    )
    assert not config_files.distillery_includes_erts(source, "rel/config.exs")
    assert config_files.distillery_settings(source, "vm_args") == ["rel/vm.args"]
    commands = config_files.distillery_settings(source, "commands")
    assert [[name for name, _ in keyword_items(entry)] for entry in commands] == [["migrate"]]
    paths = [n.path for n in releases.distillery_paths(source)]
    assert paths == ["rel/vm.args", "rel/commands/migrate.sh"]
    # with a prod environment, :dev's false is the template's: ERTS is in
    with_prod = source.replace(
        "environment :default do\n  set include_erts: false\n", "environment :prod do\n"
    )
    assert config_files.distillery_includes_erts(with_prod, "rel/config.exs")
