"""Imported config that git does not hold (build secrets), and the problems inspect lists
instead of refusing, on small projects written here."""

from __future__ import annotations

from pathlib import Path

from kubenative.project.inspect import inspect_project
from kubenative.project.model import ConfigSecret

from .test_copies import MIX, _project

IGNORED = "/_build/\n/deps/\n/config/*.secret.exs\n"


def test_an_ignored_imported_secret_is_a_build_secret_never_copied(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            ".gitignore": IGNORED,
            "config/config.exs": 'import Config\nimport_config "#{config_env()}.exs"\n',
            "config/prod.exs": (
                'import Config\nconfig :app, a: 1\nimport_config "prod.secret.exs"\n'
            ),
            "config/prod.secret.exs": 'import Config\nconfig :app, key: "local"\n',
        },
    )
    project = inspect_project(str(root))
    assert project.problems == ()
    assert project.config_secrets == (
        ConfigSecret("config/prod.secret.exs", "config/prod.exs:3", required=True, present=True),
    )
    assert project.config_secrets[0].id == "config_prod_secret_exs"
    assert "config/prod.secret.exs" not in project.compile_config
    assert project.tracked_secrets == ()


def test_an_absent_secret_is_a_build_secret_too_and_a_conditional_one_is_optional(
    tmp_path: Path,
) -> None:
    root = _project(
        tmp_path,
        {
            "config/config.exs": (
                "import Config\n"
                'import_config "prod.secret.exs"\n'
                'if File.exists?("config/local.secret.exs") do\n'
                '  import_config "local.secret.exs"\n'
                "end\n"
            ),
        },
    )
    project = inspect_project(str(root))
    assert project.problems == ()
    assert project.config_secrets == (
        ConfigSecret("config/local.secret.exs", "config/config.exs:4", False, False),
        ConfigSecret("config/prod.secret.exs", "config/config.exs:2", True, False),
    )


def test_one_unconditional_import_makes_a_secret_required(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "config/config.exs": (
                "import Config\n"
                'if System.get_env("LOCAL") do\n'
                '  import_config "prod.secret.exs"\n'
                "end\n"
                'import_config "prod.secret.exs"\n'
            ),
        },
    )
    (secret,) = inspect_project(str(root)).config_secrets
    assert secret.required and secret.imported_by == "config/config.exs:3"


def test_any_imported_file_gitignore_excludes_is_a_build_secret(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            ".gitignore": "/config/prod.local.exs\n",
            "config/config.exs": 'import Config\nimport_config "prod.local.exs"\n',
        },
    )
    (secret,) = inspect_project(str(root)).config_secrets
    assert (secret.path, secret.present, secret.id) == (
        "config/prod.local.exs",
        False,
        "config_prod_local_exs",
    )


def test_a_tracked_secret_is_source_and_copied(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "config/config.exs": 'import Config\nimport_config "prod.secret.exs"\n',
            "config/prod.secret.exs": 'import Config\nconfig :app, key: "${KEY}"\n',
        },
    )
    project = inspect_project(str(root))
    assert project.config_secrets == ()
    assert project.tracked_secrets == ("config/prod.secret.exs",)
    assert "config/prod.secret.exs" in project.compile_config


def test_umbrella_apps_own_secret_configs_are_mounted_where_they_sit(tmp_path: Path) -> None:
    umbrella = (
        "defmodule Shop.MixProject do\n  use Mix.Project\n"
        '  def project, do: [apps_path: "apps", deps: []]\nend\n'
    )
    app = MIX.replace("App.MixProject", "Web.MixProject").replace(":app", ":web")
    root = _project(
        tmp_path,
        {
            "mix.exs": umbrella,
            ".gitignore": "/apps/*/config/*.secret.exs\n",
            "config/config.exs": 'import Config\nimport_config "../apps/*/config/config.exs"\n',
            "apps/web/mix.exs": app,
            "apps/web/config/config.exs": 'import Config\nimport_config "#{Mix.env()}.exs"\n',
            "apps/web/config/prod.exs": 'import Config\nimport_config "prod.secret.exs"\n',
            "apps/web/config/prod.secret.exs": "import Config\n",
        },
    )
    (secret,) = inspect_project(str(root)).config_secrets
    assert secret.path == "apps/web/config/prod.secret.exs" and secret.present
    assert secret.id == "apps_web_config_prod_secret_exs"


def test_the_local_copy_s_required_variables_are_named_but_placeholders_are_not(
    tmp_path: Path,
) -> None:
    root = _project(
        tmp_path,
        {
            ".gitignore": IGNORED,
            "config/config.exs": 'import Config\nimport_config "prod.secret.exs"\n',
            "config/prod.secret.exs": (
                "import Config\n"
                'database_url = System.get_env("DATABASE_URL") || raise "DATABASE_URL missing"\n'
                'config :app, App.Repo, url: database_url, password: "${DB_PASSWORD}"\n'
                'config :app, key: System.fetch_env!("SECRET_KEY_BASE")\n'
                'config :app, pool: System.get_env("POOL_SIZE", "10")\n'
            ),
        },
    )
    (secret,) = inspect_project(str(root)).config_secrets
    assert secret.requires == ("DATABASE_URL", "SECRET_KEY_BASE")


def test_an_absent_imported_file_git_would_hold_is_a_problem_unless_conditional(
    tmp_path: Path,
) -> None:
    root = _project(
        tmp_path,
        {
            "config/config.exs": (
                "import Config\n"
                'import_config "#{config_env()}.exs"\n'
                'if File.exists?("config/extra.exs"), do: import_config("extra.exs")\n'
                'import_config "../../outside/config.exs"\n'
            ),
        },
    )
    project = inspect_project(str(root))
    assert project.problems == (
        "config/config.exs:2 imports config/prod.exs, which is not in the project: Mix stops "
        "there when it evaluates the config; add the file, or remove the import",
    )
    assert project.config_secrets == ()


def test_a_config_file_that_does_not_parse_is_a_problem_and_left_out(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "config/config.exs": 'import Config\nimport_config "prod.exs"\n',
            "config/prod.exs": "import Config\nconfig :app, [a: \n",
            "config/runtime.exs": "import Config\nconfig :app, (\n",
        },
    )
    project = inspect_project(str(root))
    assert [p.split(":")[0] for p in project.problems] == [
        "config/prod.exs",
        "config/runtime.exs",
    ]
    assert project.compile_config == ("config/config.exs",)
    assert project.late_config == ()
    assert project.name == "app"  # the rest is still shown


def test_problems_in_other_files_leave_the_rest_of_the_project_shown(tmp_path: Path) -> None:
    umbrella = (
        "defmodule Shop.MixProject do\n  use Mix.Project\n"
        '  def project, do: [apps_path: "apps", deps: [], releases: []]\nend\n'
    )
    root = _project(
        tmp_path,
        {
            "mix.exs": umbrella,
            "mix.lock": "%{\n",
            "apps/core/mix.exs": "defmodule Core do\n  def project, do: [\nend\n",
            "apps/web/mix.exs": MIX.replace("App.MixProject", "Web.MixProject")
            .replace(":app", ":web")
            .replace("deps: []", 'deps: [{:phoenix, "~> 1.7"}]'),
            "apps/web/assets/package.json": "[1, 2",
            "apps/web/native/fast/Cargo.toml": "[package\n",
        },
    )
    project = inspect_project(str(root))
    assert [a.name for a in project.apps] == ["core", "web"]
    assert project.apps[1].phoenix
    heads = [p.split(":")[0].split(" ")[0] for p in project.problems]
    assert heads == [
        "apps/core/mix.exs",
        "mix.lock",
        "mix.exs",
        "apps/web/assets/package.json",
        "apps/web/native/fast/Cargo.toml",
    ], project.problems
