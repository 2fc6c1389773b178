"""Endpoints, whether each serves, and where the release listens, read from config."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubenative.project import endpoints


def listener(tmp_path: Path, **files: str) -> endpoints.Listener:
    names = []
    for name, body in files.items():
        (tmp_path / f"{name}.exs").write_text("import Config\n" + body + "\n")
        names.append(f"{name}.exs")
    boot = [n for n in names if n in ("runtime.exs", "releases.exs")]
    return endpoints.read(tmp_path, names, lambda p: p.read_text(), boot)


@pytest.mark.parametrize(
    ("source", "port", "env"),
    [
        ("config :app, Web.Endpoint, http: [port: 8080]", 8080, None),
        ('config :app, Web.Endpoint, http: [ip: {0, 0, 0, 0}, port: "4001"]', 4001, None),
        (
            'port = String.to_integer(System.get_env("PORT") || "4002")\n'
            "config :app, Web.Endpoint, http: [port: port]",
            4002,
            "PORT",
        ),
        (
            'config :app, Web.Endpoint, http: [port: System.get_env("APP_PORT", "4003")]',
            4003,
            "APP_PORT",
        ),
        (
            "config :app, Web.Endpoint,\n"
            '  http: [port: String.to_integer(System.fetch_env!("HTTP_PORT"))]',
            None,
            "HTTP_PORT",
        ),
        ("config :app, Web.Endpoint, url: [port: 443]", None, None),
        ('config :app, Web.Endpoint, http: [:inet6, port: {:system, "PORT"}]', None, "PORT"),
        ('config :app, Web.Endpoint, http: [port: "${HTTP_PORT}"]', None, "HTTP_PORT"),
        ("config :app, Web.Endpoint, https: [port: 8443, certfile: 'c.pem']", 8443, None),
        ("config :app, Web.Endpoint, http: [port: 8080], url: [port: 443]", 8080, None),
        (
            'config :app, Repo, port: String.to_integer(System.get_env("DB_PORT") || "5432")',
            None,
            None,
        ),
        (
            'config :svc, port: String.to_integer(System.get_env("SVC_PORT", "9000"))',
            9000,
            "SVC_PORT",
        ),
        # a project's own helpers: imported, anonymous, remote (accent, a hexpm-like HEXPM_PORT)
        (
            'port = get_env("PORT", :integer) || 4000\nconfig :a, A.Endpoint, http: [port: port]',
            4000,
            "PORT",
        ),
        (
            "env = fn name, default -> System.get_env(name) || default end\n"
            'config :a, A.Endpoint, http: [port: env.("HEXPM_PORT", 4010)]',
            4010,
            "HEXPM_PORT",
        ),
        ('config :a, A.Endpoint, http: [port: MyApp.Env.integer("WEB_PORT")]', None, "WEB_PORT"),
        ('config :a, A.Endpoint, http: [port: load_int.("port")]', None, None),
        # any helper with an argument that is a variable's name beyond doubt (jellyfish)
        (
            'port = ConfigReader.read_port("FJ_PORT") || Application.fetch_env!(:f, :port)\n'
            "config :a, A.Endpoint, http: [port: port]",
            None,
            "FJ_PORT",
        ),
        (
            "env = System.get_env()\n"
            'config :a, A.Endpoint, http: [port: Map.get(env, "SERVER_PORT", "7376")]',
            7376,
            "SERVER_PORT",
        ),
        (
            'config :a, A.Endpoint, http: [port: {:system, :integer, "HTTP_PORT", 4020}]',
            4020,
            "HTTP_PORT",
        ),
    ],
)
def test_port_and_its_variable(
    tmp_path: Path, source: str, port: int | None, env: str | None
) -> None:
    found = listener(tmp_path, runtime=source)
    assert (found.port, found.port_env) == (port, env)


def test_the_last_setting_wins_and_other_environments_are_skipped(tmp_path: Path) -> None:
    found = listener(
        tmp_path,
        config="config :app, Web.Endpoint, http: [port: 4000]",
        runtime="if config_env() == :test do\n"
        "  config :app, Web.Endpoint, http: [port: 4002]\nend\n"
        "if config_env() == :prod do\n  config :app, Web.Endpoint, http: [port: 8080]\nend",
    )
    assert found.port == 8080


@pytest.mark.parametrize(
    ("source", "server", "env"),
    [
        ("config :app, Web.Endpoint, server: true", "on", ()),
        ("config :app, Web.Endpoint, server: false", "off", ()),
        ("config :app, Web.Endpoint, http: [port: 4000]", "unset", ()),
        (
            'if System.get_env("PHX_SERVER") do\n  config :app, Web.Endpoint, server: true\nend',
            "env",
            ("PHX_SERVER",),
        ),
        ('config :app, Web.Endpoint, server: System.get_env("SERVE") == "true"', "env", ("SERVE",)),
        (
            'if System.get_env("PHX_SERVER") && System.get_env("RELEASE_NAME") do\n'
            "  config :app, Web.Endpoint, server: true\nend",
            "env",
            ("PHX_SERVER", "RELEASE_NAME"),
        ),
        (
            "config :app, Web.Endpoint, http: [port: 4000]\n"
            "if config_env() == :dev do\n  config :app, Web.Endpoint, server: true\nend",
            "unset",
            (),
        ),
    ],
)
def test_whether_the_endpoint_serves(
    tmp_path: Path, source: str, server: str, env: tuple[str, ...]
) -> None:
    (endpoint,) = listener(tmp_path, runtime=source).endpoints
    assert (endpoint.app, endpoint.module, endpoint.server, endpoint.server_env) == (
        "app",
        "Web.Endpoint",
        server,
        env,
    )


def test_serve_endpoints_for_every_endpoint(tmp_path: Path) -> None:
    assert listener(tmp_path, prod="config :phoenix, :serve_endpoints, true").serve_endpoints
    assert listener(tmp_path, prod="config :phoenix, serve_endpoints: true").serve_endpoints
    assert not listener(tmp_path, prod="config :phoenix, :json_library, Jason").serve_endpoints


def test_loopback_in_prod_is_a_warning_unless_overridden(tmp_path: Path) -> None:
    loopback = listener(tmp_path, prod="config :app, Web.Endpoint, http: [ip: {127, 0, 0, 1}]")
    assert "prod.exs:2" in loopback.warnings[0] and "loopback" in loopback.warnings[0]
    overridden = listener(
        tmp_path,
        prod="config :app, Web.Endpoint, http: [ip: {127, 0, 0, 1}]",
        runtime="config :app, Web.Endpoint, http: [ip: {0, 0, 0, 0, 0, 0, 0, 0}]",
    )
    assert overridden.warnings == ()


def test_the_plain_endpoint_is_the_images_port_beside_a_health_check_endpoint(
    tmp_path: Path,
) -> None:
    # nerves_hub_web's runtime.exs: the web endpoint converts a variable bound earlier, and a
    # status endpoint (started in one mode only) listens on another port, set later in the file.
    found = listener(
        tmp_path,
        runtime=(
            'port = System.get_env("HTTP_PORT") || System.get_env("PORT") || "4000"\n'
            "config :hub, HubWeb.Endpoint, http: [port: String.to_integer(port)], server: true\n"
            'port = String.to_integer(System.get_env("DEVICE_HOST_STATUS_PORT", "4040"))\n'
            "config :hub, HubWeb.HealthCheckEndpoint, http: [port: port], server: true"
        ),
    )
    assert (found.port, found.port_env) == (4000, "HTTP_PORT")
    assert _ports(found) == [
        ("http", "HubWeb.Endpoint", "http", 4000, "HTTP_PORT"),
        ("healthchec-http", "HubWeb.HealthCheckEndpoint", "http", 4040, "DEVICE_HOST_STATUS_PORT"),
    ]
    assert found.warnings == ()


def test_one_port_for_every_endpoint_is_no_warning(tmp_path: Path) -> None:
    found = listener(
        tmp_path,
        runtime=(
            "config :a, AWeb.Endpoint, http: [port: 4000]\n"
            "config :b, BWeb.Endpoint, http: [port: 4000]"
        ),
    )
    assert (found.port, found.warnings) == (4000, ())


def test_serve_endpoints_makes_each_endpoint_without_a_server_option_serve(
    tmp_path: Path,
) -> None:
    found = listener(
        tmp_path,
        config='config :app, Web.Endpoint, url: [host: "x"]\n'
        "config :app, Admin.Endpoint, server: false",
        prod="config :phoenix, :serve_endpoints, true",
    )
    assert [(e.module, e.server, e.where) for e in found.endpoints] == [
        ("Admin.Endpoint", "off", "config.exs:3"),
        ("Web.Endpoint", "on", "prod.exs:2"),
    ]
    found = listener(tmp_path, config='config :app, Web.Endpoint, url: [host: "x"]')
    assert [e.server for e in found.endpoints] == ["unset"]


def test_a_port_read_with_system_get_env_at_build_time_is_a_warning(tmp_path: Path) -> None:
    # Phoenix 1.3/1.4 prod.exs: evaluated when the release is built, the value is frozen.
    found = listener(
        tmp_path, prod='config :app, Web.Endpoint, http: [port: System.get_env("PORT")]'
    )
    assert (found.port, found.port_env) == (None, "PORT")
    assert found.warnings == (
        'prod.exs:2: the port is read with System.get_env("PORT") in build-time config, so the '
        "value at build time is frozen into the image and PORT at boot is ignored (unset at "
        "build: the endpoint gets no port and aborts); move the `http: [port: ...]` setting "
        "into config/runtime.exs",
    )


@pytest.mark.parametrize(
    "files",
    [
        # read at boot: the same call in runtime.exs
        {
            "prod": 'config :app, Web.Endpoint, http: [port: System.get_env("PORT")]',
            "runtime": 'config :app, Web.Endpoint, http: [port: System.get_env("PORT")]',
        },
        # the endpoint reads {:system, "PORT"} when it starts
        {"prod": 'config :app, Web.Endpoint, http: [port: {:system, "PORT"}]'},
        # Phoenix 1.3's init/2 reads PORT at boot when load_from_system_env is on
        {
            "prod": "config :app, Web.Endpoint, load_from_system_env: true,\n"
            '  http: [port: System.get_env("PORT")]'
        },
        # a literal port in build-time config is not frozen from the environment
        {"prod": "config :app, Web.Endpoint, http: [port: 4000]"},
    ],
)
def test_a_port_read_at_boot_is_no_warning(tmp_path: Path, files: dict[str, str]) -> None:
    assert listener(tmp_path, **files).warnings == ()


def test_a_frozen_default_port_is_named(tmp_path: Path) -> None:
    source = 'config :app, Web.Endpoint, http: [port: System.get_env("PORT") || 4000]'
    (warning,) = listener(tmp_path, prod=source).warnings
    assert "(unset at build: it listens on 4000)" in warning


def _ports(found: endpoints.Listener) -> list[tuple[str, str, str, int | None, str | None]]:
    return [(p.name, p.endpoint, p.scheme, p.port, p.env) for p in found.ports]


def test_every_endpoint_and_scheme_is_a_port_with_a_name(tmp_path: Path) -> None:
    found = listener(
        tmp_path,
        config="config :shop, ShopWeb.Endpoint, http: [ip: {0, 0, 0, 0}]\n"
        "config :shop, ShopWeb.AdminEndpoint, http: [port: 4010], server: true",
        runtime='config :shop, ShopWeb.Endpoint, http: [port: {:system, "PORT"}],\n'
        '  https: [port: 443, certfile: "/etc/tls/cert.pem"]\n'
        "config :shop, ShopWeb.StatusEndpoint, http: [], server: false",
    )
    assert _ports(found) == [
        ("http", "ShopWeb.Endpoint", "http", None, "PORT"),
        ("https", "ShopWeb.Endpoint", "https", 443, None),
        ("admin-http", "ShopWeb.AdminEndpoint", "http", 4010, None),
    ]
    assert found.ports[0].where == "runtime.exs:2"


def test_an_http_setting_without_a_port_listens_on_phoenixs_default(tmp_path: Path) -> None:
    found = listener(
        tmp_path, runtime="config :a, A.Endpoint, http: [ip: {0, 0, 0, 0}], https: [otp_app: :a]"
    )
    assert _ports(found) == [
        ("http", "A.Endpoint", "http", 4000, None),
        ("https", "A.Endpoint", "https", 4040, None),
    ]
    assert found.ports[0].where == ""


def test_names_stay_unique_and_short(tmp_path: Path) -> None:
    found = listener(
        tmp_path,
        runtime="config :a, AWeb.Endpoint, http: [port: 4000]\n"
        "config :b, BWeb.VeryLongDescriptiveNameEndpoint, http: [port: 4001]\n"
        "config :c, CWeb.VeryLongDescriptiveNameEndpoint, http: [port: 4002]",
    )
    assert [p.name for p in found.ports] == ["http", "verylongde-http", "verylongd2-http"]
    assert all(len(p.name) <= 15 for p in found.ports)


def test_an_app_level_port_without_an_endpoint_is_the_one_port(tmp_path: Path) -> None:
    found = listener(tmp_path, runtime='config :svc, port: {:system, "SVC_PORT"}')
    assert _ports(found) == [("http", "", "http", None, "SVC_PORT")]
    assert found.ports[0].app == "svc"


@pytest.mark.parametrize(
    "source",
    [
        "if config_env() === :test do\n  config :a, A.Endpoint, http: [port: 4001]\n"
        "else\n  config :a, A.Endpoint, http: [port: 8080]\nend",
        "if config_env() == :prod do\n  config :a, A.Endpoint, http: [port: 8080]\n"
        "else\n  config :a, A.Endpoint, http: [port: 4001]\nend",
        "unless config_env() == :prod do\n  config :a, A.Endpoint, http: [port: 4001]\n"
        "else\n  config :a, A.Endpoint, http: [port: 8080]\nend",
    ],
)
def test_the_branch_that_runs_in_prod_is_read(tmp_path: Path, source: str) -> None:
    # accent's runtime.exs: `if config_env() === :test do ... else <prod endpoint> end`
    assert listener(tmp_path, runtime=source).port == 8080


def test_the_port_an_endpoints_init_reads(tmp_path: Path) -> None:
    # Phoenix 1.3's generated endpoint, with the variable renamed
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "endpoint.ex").write_text(
        "defmodule ShopWeb.Endpoint do\n"
        "  use Phoenix.Endpoint, otp_app: :shop\n"
        "  def init(_key, config) do\n"
        "    if config[:load_from_system_env] do\n"
        '      port = System.get_env("SHOP_PORT") || raise "expected SHOP_PORT"\n'
        "      {:ok, Keyword.put(config, :http, [:inet6, port: port])}\n"
        "    else\n      {:ok, config}\n    end\n  end\nend\n"
    )
    (tmp_path / "prod.exs").write_text(
        "import Config\nconfig :shop, ShopWeb.Endpoint, load_from_system_env: true, "
        'url: [host: "example.com", port: 80]\n'
    )
    found = endpoints.read(tmp_path, ["prod.exs"], lambda p: p.read_text(), (), ["lib/endpoint.ex"])
    assert (found.port, found.port_env) == (None, "SHOP_PORT")
    assert _ports(found) == [("http", "ShopWeb.Endpoint", "http", None, "SHOP_PORT")]
    assert found.ports[0].where == "lib/endpoint.ex:5"


def test_a_port_falling_back_to_app_config_gets_that_number(tmp_path: Path) -> None:
    # jellyfish: prod.exs sets `port: 8080`; runtime.exs reads FJ_PORT, else that setting
    found = listener(
        tmp_path,
        prod="config :fishjam, ip: {0, 0, 0, 0}, port: 8080",
        runtime='port = ConfigReader.read_port("FJ_PORT")'
        " || Application.fetch_env!(:fishjam, :port)\n"
        "config :fishjam, FishjamWeb.Endpoint, http: [port: port]",
    )
    assert (found.port, found.port_env) == (8080, "FJ_PORT")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # cogini's runtime.exs: https options built by a helper, the port inside its arguments
        (
            "config :a, A.Endpoint, http: [port: 4000],\n"
            "  https: EndpointConfig.https_opts(System.get_env(), %{},\n"
            '    port: String.to_integer(System.get_env("HTTPS_PORT", "4443")))',
            ("https", 4443, "HTTPS_PORT"),
        ),
        # options bound to a variable earlier in the file
        (
            'tls = [port: 8443, certfile: "c.pem"]\n'
            "config :a, A.Endpoint, http: [port: 4000], https: tls",
            ("https", 8443, None),
        ),
        # a helper with no port in sight: not Phoenix's default, a port kubenative cannot read
        (
            "config :a, A.Endpoint, http: [port: 4000], https: Tls.options()",
            ("https", None, None),
        ),
    ],
)
def test_https_options_built_elsewhere(
    tmp_path: Path, source: str, expected: tuple[str, int | None, str | None]
) -> None:
    second = listener(tmp_path, runtime=source).ports[1]
    assert (second.scheme, second.port, second.env) == expected


def test_an_endpoint_configured_only_when_its_port_is_set_is_optional(tmp_path: Path) -> None:
    # electric's LiveDashboard: `if live_dashboard_port do config ... http: [port:
    # live_dashboard_port], server: true end`; setting the variable would switch it on
    result = listener(
        tmp_path,
        runtime=(
            'dash = env!("DASH_PORT", :integer, nil)\n'
            "config :app, Web.Endpoint, http: [port: String.to_integer("
            'System.get_env("PORT", "4000"))], server: true\n'
            "if dash do\n"
            "  config :app, Dash.Endpoint, http: [port: dash, ip: {0, 0, 0, 0}], server: true\n"
            "end"
        ),
    )
    assert [(p.endpoint, p.env) for p in result.ports] == [("Web.Endpoint", "PORT")]
    ((port, where),) = result.optional
    assert (port.endpoint, port.env, port.where, where) == (
        "Dash.Endpoint",
        "DASH_PORT",
        "runtime.exs:5",
        "runtime.exs:4",
    )
    dash = next(e for e in result.endpoints if e.module == "Dash.Endpoint")
    assert (dash.server, dash.server_env) == ("on", ())  # DASH_PORT is no switch to set


def test_an_endpoint_behind_another_condition_is_not_optional(tmp_path: Path) -> None:
    result = listener(
        tmp_path,
        runtime=(
            'if System.get_env("ADMIN") do\n'
            "  config :app, Admin.Endpoint, http: [port: String.to_integer("
            'System.get_env("ADMIN_PORT", "4001"))]\n'
            "end"
        ),
    )
    assert result.optional == () and [p.env for p in result.ports] == ["ADMIN_PORT"]


def test_a_port_from_a_project_function_of_one_expression_is_its_body(tmp_path: Path) -> None:
    # sequin: `alias Sequin.ConfigParser` ... `port: ConfigParser.server_port(env_vars)`
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "parser.ex").write_text(
        "defmodule Shop.ConfigParser do\n"
        "  def server_port(env) do\n"
        '    String.to_integer(Map.get(env, "SERVER_PORT") || Map.get(env, "PORT") || "7376")\n'
        "  end\n"
        "  def other_port(%{} = env), do: 1\n"
        "  def other_port(_), do: 2\n"
        "end\n"
    )
    (tmp_path / "runtime.exs").write_text(
        "import Config\nalias Shop.ConfigParser\nenv_vars = System.get_env()\n"
        "config :shop, Shop.Endpoint, http: [port: ConfigParser.server_port(env_vars)]\n"
        "config :shop, Shop.AdminEndpoint, http: [port: ConfigParser.other_port(env_vars)]\n"
    )
    result = endpoints.read(
        tmp_path, ["runtime.exs"], lambda p: p.read_text(), ["runtime.exs"], ["lib/parser.ex"]
    )
    got = {p.endpoint: (p.port, p.env, p.where) for p in result.ports}
    assert got["Shop.Endpoint"] == (7376, "SERVER_PORT", "runtime.exs:4")
    # two clauses decide at run time: still a port kubenative cannot read
    assert got["Shop.AdminEndpoint"] == (None, None, "runtime.exs:5")


def test_a_helper_module_in_the_config_file_is_followed_too(tmp_path: Path) -> None:
    result = listener(
        tmp_path,
        runtime=(
            "defmodule Ports do\n"
            '  def http, do: String.to_integer(System.get_env("HTTP_PORT") || "4100")\n'
            "end\n"
            "config :app, Web.Endpoint, http: [port: Ports.http()]"
        ),
    )
    assert [(p.port, p.env) for p in result.ports] == [(4100, "HTTP_PORT")]


def test_an_endpoint_config_of_any_shape_is_where_to_look(tmp_path: Path) -> None:
    # membrane_videoroom: `[{:url, ...}, {protocol, args}]`: no http/https read, but the
    # endpoint and where its config is are known, for the warning
    result = listener(
        tmp_path,
        runtime=(
            'protocol = if System.get_env("USE_TLS") == "true", do: :https, else: :http\n'
            'config :app, Web.Endpoint, [{:url, [host: "x"]}, {protocol, [port: 4000]}]'
        ),
    )
    assert result.ports == ()
    assert [(e.module, e.config) for e in result.endpoints] == [("Web.Endpoint", "runtime.exs:3")]


def test_a_port_only_overridden_when_its_variable_is_set_still_listens(tmp_path: Path) -> None:
    # asciinema: prod.exs fixes the admin endpoint's port; runtime.exs overrides it only
    # `if port = env.("ADMIN_PORT")`: the endpoint listens either way, so it is not optional
    result = listener(
        tmp_path,
        prod="config :app, Admin.Endpoint, http: [ip: {127, 0, 0, 1}, port: 4002]",
        runtime=(
            'if port = System.get_env("ADMIN_PORT") do\n'
            "  config :app, Admin.Endpoint, http: [port: String.to_integer(port)]\n"
            "end"
        ),
    )
    assert result.optional == ()
    assert [(p.endpoint, p.env) for p in result.ports] == [("Admin.Endpoint", "ADMIN_PORT")]
