"""A release built with `include_erts: false` carries no Erlang: kubenative runs it on the
builder image (the same OTP it was compiled with), and it serves (tests/e2e/fixtures/otp_service
with `releases: [otp_service: [include_erts: false]]` added to its mix.exs)."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from ..conftest import REPO
from .conftest import Engine, http_get, start

FIXTURE = REPO / "tests" / "e2e" / "fixtures" / "otp_service"


def test_a_release_without_erts_runs_on_the_builder_image(
    engine: Engine, tmp_path: Path, container: list[str]
) -> None:
    path = tmp_path / "otp_service"
    shutil.copytree(FIXTURE, path)
    mix = path / "mix.exs"
    mix.write_text(
        mix.read_text().replace(
            "deps: deps()",
            "deps: deps(),\n      releases: [otp_service: [include_erts: false]]",
        )
    )
    engine.init(path)
    dockerfile = (path / "Dockerfile").read_text()
    assert "FROM ${BUILDER_IMAGE} AS runtime" in dockerfile
    assert "include_erts: false" in dockerfile
    tag = f"kn-e2e/no-erts:{uuid.uuid4().hex[:8]}"
    engine.run("build", "--progress=plain", "-t", tag, str(path))
    try:
        listing = engine.run("run", "--rm", "--entrypoint", "ls", tag, "/app").stdout.split()
        assert not any(name.startswith("erts-") for name in listing)
        name, url = start(engine, container, tag)
        try:
            assert http_get(f"{url}/") == (200, "Hello from otp_service!")
        except AssertionError:
            print(engine.run("logs", name, check=False).stderr)
            raise
    finally:
        engine.run("rm", "-f", *container, check=False)
        engine.run("rmi", "-f", tag, check=False)
