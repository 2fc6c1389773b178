"""Health routes, release modules and Ecto repos, as real projects write them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kubenative.project.inspect import inspect_project

from ..conftest import GOLDEN

ROUTERS = [
    (
        'defmodule AppWeb.Router do\n  use AppWeb, :router\n  scope "/api" do\n'
        '    scope "/v1" do\n      get "/healthz", HealthController, :show\n    end\n  end\nend\n',
        "/api/v1/healthz",
    ),
    (
        "defmodule AppWeb.Router do\n  use Phoenix.Router\n"
        '  forward "/monitoring/health_check", HealthCheckPlug\nend\n',
        "/monitoring/health_check",
    ),
    (
        "defmodule App.Health do\n  use Plug.Router\n  plug(:match)\n  plug(:dispatch)\n"
        '  get "/health" do\n    send_resp(conn, 200, "OK")\n  end\nend\n',
        "/health",
    ),
    (
        "defmodule AppWeb.Plugs.Health do\n  import Plug.Conn\n  def init(opts), do: opts\n"
        '  def call(%Plug.Conn{request_path: "/health"} = conn, _opts) do\n'
        '    conn |> send_resp(200, "ok") |> halt()\n  end\n'
        "  def call(conn, _opts), do: conn\nend\n",
        "/health",
    ),
    (
        'defmodule AppWeb.Router do\n  use AppWeb, :router\n  get "/", PageController, :home\n'
        '  get "/healthy-food", FoodController, :index\nend\n',
        None,
    ),
    (  # a route named health outside any router is not a route
        'defmodule App.Client do\n  def get(path), do: path\n  def x, do: get("/health")\nend\n',
        None,
    ),
]


@pytest.mark.parametrize(("source", "path"), ROUTERS)
def test_health_route(source: str, path: str | None, copy_project: Callable[[Path], Path]) -> None:
    project = copy_project(GOLDEN / "phoenix17_esbuild" / "project")
    (project / "lib" / "hello_web" / "router.ex").unlink()
    (project / "lib" / "hello_web" / "extra.ex").write_text(source)
    assert inspect_project(str(project)).health_path == path


def test_release_module_needs_migrate_0(copy_project: Callable[[Path], Path]) -> None:
    project = copy_project(GOLDEN / "phoenix17_esbuild" / "project")
    target = project / "lib" / "hello" / "release_tasks.ex"
    target.write_text("defmodule Hello.ReleaseTasks do\n  def migrate(repo), do: repo\nend\n")
    assert inspect_project(str(project)).release_module is None
    target.write_text("defmodule Hello.ReleaseTasks do\n  def migrate, do: :ok\nend\n")
    found = inspect_project(str(project))
    assert found.release_module == "Hello.ReleaseTasks"
    assert found.ecto_repos == ("Hello.Repo",) and found.ecto_app == "hello"


def test_import_config_in_runtime_exs_is_a_warning_not_followed(
    copy_project: Callable[[Path], Path],
) -> None:
    # Boot-time config is read with imports disabled: the release would stop at boot, so the
    # imported file's variables are not counted as read.
    project = copy_project(GOLDEN / "phoenix17_esbuild" / "project")
    (project / "config" / "runtime").mkdir()
    (project / "config" / "runtime" / "prod.exs").write_text(
        'import Config\nconfig :hello, key: System.fetch_env!("IMPORTED_ONLY")\n'
    )
    runtime = project / "config" / "runtime.exs"
    runtime.write_text(runtime.read_text() + '\nimport_config "runtime/#{config_env()}.exs"\n')
    found = inspect_project(str(project))
    assert "IMPORTED_ONLY" not in {v.name for v in found.env}
    line = len(runtime.read_text().splitlines())
    assert [w for w in found.warnings if "import_config" in w] == [
        f"config/runtime.exs:{line}: `import_config` is not allowed in boot-time config: the "
        'release stops at boot with "import_config/1 is not enabled" before reading '
        "config/runtime/prod.exs; evaluate it with `Code.require_file` instead (kubenative "
        "follows that) or move its settings into config/runtime.exs"
    ]


def test_a_frozen_port_is_one_warning(copy_project: Callable[[Path], Path]) -> None:
    # prod.exs reads PORT and runtime.exs sets no port: the endpoint's warning says what the
    # frozen value does, and the general build-time read warning leaves that line to it.
    project = copy_project(GOLDEN / "phoenix17_esbuild" / "project")
    prod = project / "config" / "prod.exs"
    prod.write_text(
        prod.read_text()
        + 'config :hello, HelloWeb.Endpoint, http: [port: System.get_env("PORT")]\n'
    )
    runtime = project / "config" / "runtime.exs"
    runtime.write_text(runtime.read_text().replace("port: port\n", "ipv6_only: false\n"))
    line = len(prod.read_text().splitlines())
    warnings = [w for w in inspect_project(str(project)).warnings if "PORT" in w]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"config/prod.exs:{line}: the port is read with System.get_env")
