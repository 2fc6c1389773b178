"""The boot-time environment reader: each way real config files read a variable."""

from __future__ import annotations

import pytest

from kubenative.project import env_vars
from kubenative.project.model import EnvVar


def _read(source: str) -> list[tuple[str, str | None, bool, bool, str]]:
    found = env_vars.merge(env_vars.read(source, "config/runtime.exs"))
    return [(v.name, v.default, v.required, v.secret, v.source) for v in found]


CASES = [
    # (source, [(name, default, required, secret, line)])
    ('x = System.get_env("GREETING")', [("GREETING", None, False, False, 1)]),
    ('x = System.get_env("PORT", "4000")', [("PORT", "4000", False, False, 1)]),
    (
        'x = String.to_integer(System.get_env("POOL_SIZE") || "10")',
        [("POOL_SIZE", "10", False, False, 1)],
    ),
    ('x = System.get_env("POOL_SIZE", 10)', [("POOL_SIZE", "10", False, False, 1)]),
    ('x = System.fetch_env!("S3_BUCKET")', [("S3_BUCKET", None, True, False, 1)]),
    ('x = System.fetch_env("S3_BUCKET")', [("S3_BUCKET", None, False, False, 1)]),
    (
        'db =\n  System.get_env("DATABASE_URL") ||\n    raise """\n    missing\n    """',
        [("DATABASE_URL", None, True, True, 2)],
    ),
    (
        'x = "APP_PORT" |> System.fetch_env!() |> String.to_integer()',
        [("APP_PORT", None, True, False, 1)],
    ),
    (
        'import System, only: [fetch_env!: 1]\nx = fetch_env!("APP_HOST")',
        [("APP_HOST", None, True, False, 2)],
    ),
    ('x = fetch_env!("APP_HOST")', []),  # not System's without the import
    (
        'if config_env() == :prod do\n  a = System.get_env("A")\n'
        'else\n  b = System.get_env("B")\nend',
        [("A", None, False, False, 2)],
    ),
    (
        'if config_env() == :dev do\n  a = System.get_env("A")\n'
        'else\n  b = System.get_env("B")\nend',
        [("B", None, False, False, 4)],
    ),
    ('unless Mix.env() == :prod, do: System.get_env("DEV_ONLY")', []),
    (
        'if System.get_env("PHX_SERVER") do\n  config :a, server: true\nend',
        [("PHX_SERVER", None, False, False, 1)],
    ),
    (
        'a = System.get_env("STRIPE_API_KEY")\nb = System.get_env("GITHUB_TOKEN")\n'
        'c = System.get_env("SMTP_PASSWORD")\nd = System.get_env("WEBHOOK_SECRET")',
        [
            ("STRIPE_API_KEY", None, False, True, 1),
            ("GITHUB_TOKEN", None, False, True, 2),
            ("SMTP_PASSWORD", None, False, True, 3),
            ("WEBHOOK_SECRET", None, False, True, 4),
        ],
    ),
    (
        'a = System.get_env("REDIS_URL")\nb = System.get_env("API_URL", "http://api:80")\n'
        'c = System.get_env("AMQP_URL", "amqp://guest:guest@mq")',
        [
            ("REDIS_URL", None, False, True, 1),
            ("API_URL", "http://api:80", False, False, 2),
            ("AMQP_URL", "amqp://guest:guest@mq", False, True, 3),
        ],
    ),
    (
        'a = System.get_env("POOL_SIZE")\nb = System.fetch_env!("POOL_SIZE")\n'
        'c = System.get_env("POOL_SIZE", "5")',
        [("POOL_SIZE", "5", True, False, 1)],
    ),
    ('name = "X"\na = System.get_env(name)', []),  # a name kubenative cannot know
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_reads_each_form(
    source: str, expected: list[tuple[str, str | None, bool, bool, int]]
) -> None:
    want = [(n, d, r, s, f"config/runtime.exs:{line}") for n, d, r, s, line in expected]
    assert _read(source) == want


def test_distillery_placeholders_in_config_and_vm_args() -> None:
    config = 'config :app, App.Repo,\n  password: "${DB_PASSWORD}",\n  pool: "10"'
    found = env_vars.placeholders(config, "config/prod.exs", elixir=True)
    assert found == [EnvVar("DB_PASSWORD", None, True, True, "config/prod.exs:2")]
    vm_args = "## -name ${COMMENTED}\n-name app@${POD_IP}\n-setcookie ${ERLANG_COOKIE}\n"
    found = env_vars.placeholders(vm_args, "rel/vm.args", elixir=False)
    assert [(v.name, v.secret, v.source) for v in found] == [
        ("POD_IP", False, "rel/vm.args:2"),
        ("ERLANG_COOKIE", True, "rel/vm.args:3"),
    ]


def test_system_tuples_in_compile_time_config() -> None:
    config = (
        "config :app, AppWeb.Endpoint,\n"
        '  http: [port: {:system, "PORT"}],\n'
        '  url: [host: {:system, "HOST", "localhost"}]\n'
        'config :app, App.Repo, url: {:system, "DATABASE_URL"}\n'
        "config :app, other: {:system, :not_a_var}\n"
    )
    found = env_vars.system_tuples(config, "config/prod.exs")
    assert [(v.name, v.default, v.required, v.secret, v.source) for v in found] == [
        ("PORT", None, False, False, "config/prod.exs:2"),
        ("HOST", "localhost", False, False, "config/prod.exs:3"),
        ("DATABASE_URL", None, False, True, "config/prod.exs:4"),
    ]


def test_confex_typed_system_tuples() -> None:
    # bors-ng's prod config: Confex puts a type before the name and takes any literal default.
    config = (
        "config :bors, BorsNG.Database.Repo,\n"
        '  pool_size: {:system, :integer, "POOL_SIZE", 10},\n'
        '  ssl: {:system, :boolean, "DATABASE_USE_SSL", true}\n'
        "config :bors, BorsNG.GitHub.Server,\n"
        '  iss: {:system, :integer, "GITHUB_INTEGRATION_ID"},\n'
        '  pem: {:system, {Base, :decode64, []}, "GITHUB_INTEGRATION_PEM"}\n'
        'config :bors, log_outgoing: {:system, "BORS_LOG_OUTGOING", false}\n'
        "config :bors, other: {:system, :integer, :not_a_name, 1}\n"
    )
    found = env_vars.system_tuples(config, "config/prod.secret.exs")
    assert [(v.name, v.default, v.secret) for v in found] == [
        ("POOL_SIZE", "10", False),
        ("DATABASE_USE_SSL", "true", False),
        ("GITHUB_INTEGRATION_ID", None, False),
        ("GITHUB_INTEGRATION_PEM", None, False),
        ("BORS_LOG_OUTGOING", "false", False),
    ]


def test_a_switch_or_a_number_is_not_a_secret_whatever_its_name() -> None:
    assert not env_vars.is_secret("ALLOW_PRIVATE_REPOS", "false")
    assert not env_vars.is_secret("TOKEN_TTL", "3600")
    assert env_vars.is_secret("API_TOKEN", None)
    assert env_vars.is_secret("API_TOKEN", "changeme")
    assert env_vars.is_secret("SECRET_KEY_BASE", "1")


def test_reads_that_raise_when_unset_are_required() -> None:
    # helium/console's prod.exs: Map.fetch! of the environment, and values handed straight to
    # functions that raise on nil; teslamate's Util.to_integer(nil) is its own and may not.
    config = (
        "config :console, ConsoleWeb.Endpoint,\n"
        '  secret_key_base: Map.fetch!(System.get_env(), "SECRET_KEY_BASE")\n'
        'config :console, oui: String.to_integer(System.get_env("OUI"))\n'
        'config :console, secrets: String.split(System.get_env("ROUTER_SECRETS"), ",")\n'
        'config :console, key: System.get_env("CLOAK_KEY") |> Base.decode64!()\n'
        'config :console, port: String.to_integer(System.get_env("PORT", "4000"))\n'
        'config :console, mqtt: Util.to_integer(System.get_env("MQTT_PORT"))\n'
        'config :console, host: Map.get(System.get_env(), "HOST", "localhost")\n'
    )
    found = env_vars.read(config, "config/prod.exs")
    assert [(v.name, v.default, v.required) for v in found] == [
        ("SECRET_KEY_BASE", None, True),
        ("OUI", None, True),
        ("ROUTER_SECRETS", None, True),
        ("CLOAK_KEY", None, True),
        ("PORT", "4000", False),
        ("MQTT_PORT", None, False),
        ("HOST", "localhost", False),
    ]


def test_a_read_only_some_boots_make_is_optional() -> None:
    source = """import Config
if config_env() == :prod do
  db = System.fetch_env!("DATABASE_URL")
  if key = System.get_env("S3_KEY") do
    config :app, s3: [key: key, secret: System.fetch_env!("S3_SECRET")]
  end
  case System.get_env("MODE") do
    "a" -> config :app, a: System.get_env("A") || raise "A"
    _ -> :ok
  end
  unless System.get_env("NO_MAIL"), do: config(:app, relay: System.fetch_env!("SMTP_RELAY"))
end
"""
    found = {name: required for name, _, required, _, _ in _read(source)}
    assert found == {
        "DATABASE_URL": True,  # under `config_env() == :prod`: every prod boot
        "S3_KEY": False,
        "S3_SECRET": False,  # only when S3_KEY is set
        "MODE": False,
        "A": False,  # only in one case clause
        "NO_MAIL": False,
        "SMTP_RELAY": False,
    }
