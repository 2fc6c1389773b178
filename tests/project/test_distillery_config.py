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
