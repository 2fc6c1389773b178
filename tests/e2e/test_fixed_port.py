"""tests/e2e/fixtures/fixed_port_relay built with the Dockerfile kubenative writes: the HTTP
port fixed in endpoint config (20080) is the one exposed, answers there, and no PORT is set;
the `:gen_tcp` listener beside it is not PORT and not exposed, yet it runs (inside the
container) — kubenative listed it and left it alone. The program only a Mix task runs
(`pg_dump`) is not in the runtime."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import REPO
from .conftest import Engine, http_get, start

FIXTURE = REPO / "tests" / "e2e" / "fixtures" / "fixed_port_relay"


@dataclass(frozen=True)
class Image:
    engine: Engine
    path: Path
    tag: str


@pytest.fixture(scope="module")
def image(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Image]:
    path = engine.copy_project(FIXTURE, tmp_path_factory.mktemp("relay") / "fixed_port_relay")
    engine.init(path)
    tag = f"kn-e2e-tools/relay:{uuid.uuid4().hex[:8]}"
    engine.run("build", "--progress=plain", "-t", tag, str(path))
    yield Image(engine, path, tag)
    engine.run("rmi", "-f", tag, check=False)


def test_inspect_lists_the_other_listener_and_not_as_the_port() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "kubenative", "inspect", "--json", str(FIXTURE)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = json.loads(out)
    assert (found["port"], found["port_env"]) == (20080, None)
    assert [(s["via"], s["port"]) for s in found["other_listeners"]] == [(":gen_tcp.listen", 4950)]


def test_only_the_fixed_http_port_is_exposed_and_no_port_variable(image: Image) -> None:
    raw = image.engine.run("image", "inspect", "--format", "{{json .Config}}", image.tag).stdout
    config = json.loads(raw)
    assert list(config.get("ExposedPorts") or {}) == ["20080/tcp"]
    assert not any(item.startswith("PORT=") for item in config["Env"])


def test_http_answers_on_the_exposed_port_and_the_other_listener_runs_inside(
    image: Image, engine: Engine, container: list[str]
) -> None:
    name, url = start(engine, container, image.tag, port=20080)
    try:
        assert http_get(url + "/") == (200, "Hello from relay!")
    except AssertionError:
        print(engine.run("logs", name, check=False).stderr)
        raise
    assert http_get(url + "/health") == (200, "ok")
    # The munin-style listener answers on 4950 inside the container (bash's /dev/tcp).
    greeting = engine.run(
        "exec", name, "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/4950 && head -n 1 <&3"
    ).stdout
    assert greeting == "# munin node at relay\n"
    # and nothing published it: `docker port` knows only 20080
    assert engine.run("port", name).stdout.strip().startswith("20080/tcp")
    assert "4950" not in engine.run("port", name).stdout


def test_a_program_only_a_mix_task_runs_is_not_in_the_runtime(image: Image) -> None:
    found = image.engine.run(
        "run", "--rm", "--entrypoint", "sh", image.tag, "-c", "command -v pg_dump || echo none"
    ).stdout
    assert found.strip() == "none"
