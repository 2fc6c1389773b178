"""A frontend that needs the Node of its era (tests/e2e/fixtures/webpack_era: webpack 4, a
lockfileVersion 1 lock, `.nvmrc` 12): kubenative picks a published Node 12 tag, and the
generated Dockerfile builds the assets on a stand-in Node 12 image (Debian 11's nodejs)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

from ..conftest import REPO
from .conftest import Engine

FIXTURE = REPO / "tests" / "e2e" / "fixtures" / "webpack_era"
ROLE = "org.kubenative.e2e.role=node-old"


def _old_node_image(engine: Engine) -> str:
    listed = engine.run(
        "image", "ls", "--filter", f"label={ROLE}", "--format", "{{.Repository}}:{{.Tag}}"
    ).stdout.split()
    assert listed, "no old-Node stand-in image: run tests/e2e/env/setup.sh (build_old_node)"
    return listed[0]


def test_kubenative_chooses_a_published_node_12_tag() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "kubenative", "inspect", "--json", str(FIXTURE)],
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(proc.stdout)
    assert found["node"] == "12.22.12"
    assert found["versions_from"]["node"] == ".nvmrc:1 (12)"


def test_webpack4_builds_on_the_old_node(engine: Engine, tmp_path: Path) -> None:
    node_image = _old_node_image(engine)
    major = engine.run("run", "--rm", node_image, "node", "-p", "process.versions.node").stdout
    assert major.strip().split(".")[0] == "12"
    path = tmp_path / "webpack_era"
    shutil.copytree(FIXTURE, path)
    # Unique frontend input, so this build is not served from another run's cache.
    js = path / "assets" / "js" / "app.js"
    js.write_text(js.read_text() + f"// e2e {uuid.uuid4().hex}\n")
    engine.init(path, "--node-image", node_image)
    dockerfile = (path / "Dockerfile").read_text()
    assert "# Node.js 12" in dockerfile
    tag = f"kn-e2e/webpack-era:{uuid.uuid4().hex[:8]}"
    try:
        engine.run("build", "--progress=plain", "-t", tag, str(path))
        bundle = engine.run(
            "run",
            "--rm",
            "--entrypoint",
            "cat",
            tag,
            "/app/lib/webpack_era-0.1.0/priv/static/assets/app.js",
        ).stdout
    finally:
        engine.run("rmi", "-f", tag, check=False)
    assert "Hello from " in bundle
    assert "node v12." in bundle  # the frontend stage ran on Node 12
