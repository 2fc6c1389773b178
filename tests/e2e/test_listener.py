"""One umbrella fixture (tests/e2e/fixtures/beacon_umbrella) built with the Dockerfile
kubenative writes: an endpoint with no `server:` setting serves, the port comes from the
variable config reads (APP_PORT), a program the app runs (jq) is in the runtime, the project's
own start script starts it, and it all runs as uid 1000."""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import REPO
from .conftest import Engine, http_get, start

FIXTURE = REPO / "tests" / "e2e" / "fixtures" / "beacon_umbrella"


@dataclass(frozen=True)
class Image:
    engine: Engine
    path: Path
    tag: str

    def start(self, container: list[str], port: int = 4000, *env: str) -> tuple[str, str]:
        flags = [arg for item in env for arg in ("-e", item)]
        return start(self.engine, container, self.tag, *flags, port=port)


@pytest.fixture(scope="module")
def image(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Image]:
    path = tmp_path_factory.mktemp("beacon") / "beacon_umbrella"
    shutil.copytree(FIXTURE, path)
    engine.init(path)
    tag = f"kn-e2e/beacon:{uuid.uuid4().hex[:8]}"
    engine.run("build", "--progress=plain", "-t", tag, str(path))
    yield Image(engine, path, tag)
    engine.run("rmi", "-f", tag, check=False)


def _config(image: Image) -> tuple[list[str], dict[str, object], list[str] | None]:
    import json

    raw = image.engine.run("image", "inspect", "--format", "{{json .Config}}", image.tag).stdout
    config = json.loads(raw)
    return config["Env"], config.get("ExposedPorts") or {}, config.get("Cmd")


def test_the_image_matches_what_config_reads(image: Image) -> None:
    env, exposed, cmd = _config(image)
    assert "APP_PORT=4000" in env
    assert not any(item.startswith("PORT=") for item in env)
    assert "ERL_AFLAGS=-phoenix serve_endpoints true" in env
    assert list(exposed) == ["4000/tcp"]
    assert cmd == ["/app/bin/server"]


def test_the_endpoint_without_a_server_setting_serves(
    image: Image, engine: Engine, container: list[str]
) -> None:
    name, url = image.start(container)
    try:
        assert http_get(url + "/") == (200, "Hello from beacon!")
    except AssertionError:
        print(engine.run("logs", name, check=False).stderr)
        raise
    assert http_get(url + "/health") == (200, "ok")
    status = engine.run("exec", name, "cat", "/proc/1/status").stdout
    uid = next(line for line in status.splitlines() if line.startswith("Uid:"))
    assert uid.split()[1:] == ["1000"] * 4


def test_without_the_vm_flag_it_would_not_serve(
    image: Image, engine: Engine, container: list[str]
) -> None:
    """The control: PHX_SERVER=true (set by the start script) alone does not make this endpoint
    serve; the `serve_endpoints` flag is what does."""
    name, _ = image.start(container, 4000, "ERL_AFLAGS=")
    deadline = time.monotonic() + 60
    logs = ""
    while time.monotonic() < deadline and "won't start" not in logs:
        time.sleep(0.5)
        proc = engine.run("logs", name, check=False)
        logs = proc.stdout + proc.stderr
    assert "Configuration :server was not enabled for BeaconWeb.Endpoint" in logs


def test_the_port_comes_from_the_variable_config_reads(image: Image, container: list[str]) -> None:
    _, url = image.start(container, 4100, "APP_PORT=4100")
    assert http_get(url + "/health") == (200, "ok")


def test_the_program_the_app_runs_is_in_the_runtime(image: Image, container: list[str]) -> None:
    _, url = image.start(container)
    assert http_get(url + "/tool") == (200, "2")
