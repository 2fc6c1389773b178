"""A poncho app (tests/e2e/fixtures/poncho_greeter) built with `init --app apps/web` from the
poncho root: its path dependency is in the image, it answers HTTP, as uid 1000."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from ..conftest import REPO
from .conftest import Engine, http_get, start

FIXTURE = REPO / "tests" / "e2e" / "fixtures" / "poncho_greeter"


def test_a_poncho_app_builds_from_the_poncho_root_and_answers(
    engine: Engine, tmp_path: Path, container: list[str]
) -> None:
    path = tmp_path / "poncho_greeter"
    shutil.copytree(FIXTURE, path)
    engine.init(path, "--app", "apps/web")
    assert not (path / "apps" / "web" / "Dockerfile").exists()
    tag = f"kn-e2e/poncho:{uuid.uuid4().hex[:8]}"
    engine.run("build", "--progress=plain", "-t", tag, str(path))
    try:
        name, url = start(engine, container, tag)
        try:
            assert http_get(f"{url}/") == (
                200,
                "Hello from core, by way of a path dependency!",
            )
        except AssertionError:
            print(engine.run("logs", name, check=False).stderr)
            raise
        status = engine.run("exec", name, "cat", "/proc/1/status").stdout
        uid = next(line for line in status.splitlines() if line.startswith("Uid:"))
        assert uid.split()[1:] == ["1000"] * 4
    finally:
        engine.run("rm", "-f", *container, check=False)
        container.clear()
        engine.run("rmi", "-f", tag, check=False)
