"""Facts read from config files and Distillery's rel/config.exs."""

from __future__ import annotations

import pytest

from kubenative.project.config_files import distillery_releases, http_port, imported_configs


@pytest.mark.parametrize(
    ("source", "port"),
    [
        ("config :app, Web.Endpoint, http: [port: 8080]", 8080),
        ('config :app, Web.Endpoint, http: [ip: {0, 0, 0, 0}, port: "4001"]', 4001),
        (
            'port = String.to_integer(System.get_env("PORT") || "4002")\n'
            "config :app, Web.Endpoint, http: [port: port]",
            None,
        ),
        ('config :app, Web.Endpoint, http: [port: System.get_env("PORT", "4003")]', 4003),
        ('config :app, E, http: [port: String.to_integer(System.get_env("PORT") || "4004")]', 4004),
        ("config :app, Web.Endpoint, url: [port: 443]", None),
    ],
)
def test_http_port(source: str, port: int | None) -> None:
    assert http_port("import Config\n" + source + "\n", "config/runtime.exs") == port


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
