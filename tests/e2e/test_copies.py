"""What the release configuration and config name, in the image (issue 16): an umbrella
(tests/e2e/fixtures/vendored_umbrella) whose web app depends on a library vendored into the
project by `path:`, whose config evaluates a helper through a pipe
(`[__DIR__ | ~w(.. .. .. config helper.exs)] |> Path.join() |> Code.eval_file()`), and whose
release copies an `overlays:` folder. Built with the Dockerfile `kubenative init` writes, it
answers with the helper's value through the vendored library and serves the overlay file."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from ..conftest import REPO
from .conftest import Engine, http_get, start

FIXTURE = REPO / "tests" / "e2e" / "fixtures" / "vendored_umbrella"


def test_vendored_dep_config_helper_and_overlay_reach_the_image(
    engine: Engine, tmp_path: Path, container: list[str]
) -> None:
    path = tmp_path / "vendored_umbrella"
    shutil.copytree(FIXTURE, path)
    engine.init(path)
    dockerfile = (path / "Dockerfile").read_text()
    deps = dockerfile.split(" AS deps", 1)[1].split(" AS ", 1)[0]
    # The vendored library before the fetch; the helper with the compile-time config.
    assert deps.index("COPY vendor/shout vendor/shout") < deps.index("mix deps.get")
    assert "config/helper.exs" in deps.split("mix deps.get", 1)[1]
    tag = f"kn-e2e/copies:{uuid.uuid4().hex[:8]}"
    try:
        engine.run("build", "--progress=plain", "-t", tag, str(path))
        name, url = start(engine, container, tag)
        try:
            assert http_get(f"{url}/") == (200, "HELLO FROM THE CONFIG HELPER!")
            assert http_get(f"{url}/motd") == (200, "Harbor: built with an overlay folder")
        except AssertionError:
            print(engine.run("logs", name, check=False).stderr)
            raise
    finally:
        engine.run("rm", "-f", *container, check=False)
        container.clear()
        engine.run("rmi", "-f", tag, check=False)
