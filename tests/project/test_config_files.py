"""Facts read from config files and Distillery's rel/config.exs."""

from __future__ import annotations

from kubenative.project.config_files import distillery_releases, imported_configs


def test_imported_configs() -> None:
    source = 'import Config\nimport_config "appsignal.exs"\nimport_config "#{config_env()}.exs"\n'
    assert imported_configs(source, "config/config.exs") == ("appsignal.exs", "{env}.exs")


def test_distillery_releases_put_the_default_first_by_name() -> None:
    source = """
    use Distillery.Releases.Config, default_release: :default, default_environment: Mix.env()
    environment :prod do
      set include_erts: true
    end
    release :admin do
      set version: "0.1.0"
    end
    release :shop do
      set version: "0.1.0"
    end
    """
    assert distillery_releases(source, "rel/config.exs") == (("admin", "shop"), None)
    chosen = source.replace("set include_erts: true", "set default_release: :shop")
    assert distillery_releases(chosen, "rel/config.exs") == (("admin", "shop"), "shop")
