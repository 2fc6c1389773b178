"""A lock whose node-gyp runs only Python 2 (tests/e2e/fixtures/node_gyp_era: node-gyp 3.8.0,
what node-sass 3 and 4 depend on): the frontend stage kubenative writes installs Python 2 from
the Node image's own Debian release, and node-gyp 3.8.0's own Python finder accepts it."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from ..conftest import REPO
from .conftest import Engine
from .test_old_node import _old_node_image

FIXTURE = REPO / "tests" / "e2e" / "fixtures" / "node_gyp_era"


def test_node_gyp_3_finds_python_2_in_the_frontend_stage(engine: Engine, tmp_path: Path) -> None:
    node_image = _old_node_image(engine)  # Debian 11 "bullseye": `python2` is its package
    path = tmp_path / "node_gyp_era"
    shutil.copytree(FIXTURE, path)
    # Unique frontend input, so the build step is not served from another run's cache.
    script = path / "assets" / "python.js"
    script.write_text(script.read_text() + f"// e2e {uuid.uuid4().hex}\n")
    engine.init(path, "--node-image", node_image)
    dockerfile = (path / "Dockerfile").read_text()
    assert "--no-install-recommends g++ make python2 python3 " in dockerfile
    tag = f"kn-e2e/node-gyp-era:{uuid.uuid4().hex[:8]}"
    try:
        engine.run("build", "--progress=plain", "--target", "frontend", "-t", tag, str(path))
        found = engine.run(
            "run", "--rm", "--entrypoint", "cat", tag, "/app/priv/static/python.txt"
        ).stdout
    finally:
        engine.run("rmi", "-f", tag, check=False)
    python, version = found.split()
    assert python == "/usr/bin/python2"
    assert version.startswith("2.7.")
