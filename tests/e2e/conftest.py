"""The end-to-end tier: a real Docker engine, real builds, real containers.

`tests/e2e/env/setup.sh` (run by scripts/test as root and in CI) starts the engine and a local
registry and builds offline stand-in base images; it writes what it set up to an env file that
these fixtures read. In CI (CI=true) a missing engine fails the run; elsewhere the tests skip
with one line saying how to run them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ENV_FILES = (HERE / "env" / ".state" / "env", Path("/var/lib/kubenative-e2e/env"))
HOW = "run `sudo bash tests/e2e/env/setup.sh` (or scripts/test as root) to enable them"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)
    # Pruning the engine's build cache (to play a fresh CI runner) makes BuildKit miss records
    # made before it, so the tests that prune run after every test that relies on local cache.
    items.sort(key=lambda item: item.get_closest_marker("prunes_build_cache") is not None)


@dataclass(frozen=True)
class Engine:
    docker: str
    registry: str
    builder_image: str
    node_image: str
    runtime_image: str
    env: dict[str, str]

    def run(
        self, *args: str, check: bool = True, timeout: float = 900, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [self.docker, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=cwd,
            env={**os.environ, "DOCKER_BUILDKIT": "1"},
        )
        if check and proc.returncode != 0:
            raise AssertionError(
                f"docker {' '.join(args)} exited {proc.returncode}:\n"
                f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
            )
        return proc

    def init(self, path: Path, *extra: str, remote: bool = False) -> None:
        """`kubenative init` on ``path`` with the stand-in base images; ``remote``: as pushed to
        the local registry, the way a CI runner sees a base image."""

        def image(which: str) -> str:
            local: str = getattr(self, f"{which.lower()}_image")
            return (self.env.get(f"KN_{which}_IMAGE_REMOTE") or local) if remote else local

        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "kubenative",
                "init",
                str(path),
                "--builder-image",
                image("BUILDER"),
                "--node-image",
                image("NODE"),
                "--runtime-image",
                image("RUNTIME"),
                "--os-release",
                self.env.get("KN_DEBIAN_CODENAME", "bookworm"),
                *extra,
            ],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stderr


def _read_env() -> dict[str, str] | None:
    override = os.environ.get("KN_E2E_ENV")
    for path in (Path(override),) if override else ENV_FILES:
        if path.is_file():
            values = {}
            for line in path.read_text().splitlines():
                if "=" in line and not line.lstrip().startswith("#"):
                    key, _, value = line.partition("=")
                    values[key.strip()] = value.strip().strip("'\"")
            return values
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"end-to-end tests are required in CI but {reason}", pytrace=False)
    pytest.skip(f"end-to-end tests skipped: {reason}; {HOW}")


@pytest.fixture(scope="session")
def engine() -> Engine:
    values = _read_env()
    if values is None:
        _unavailable("no e2e environment file (setup.sh has not run)")
    assert values is not None
    docker = values.get("KN_DOCKER") or shutil.which("docker") or "docker"
    probe = subprocess.run([docker, "info"], capture_output=True, text=True)
    if probe.returncode != 0:
        _unavailable("the Docker engine is not reachable")
    return Engine(
        docker=docker,
        registry=values["KN_REGISTRY"],
        builder_image=values["KN_BUILDER_IMAGE"],
        node_image=values["KN_NODE_IMAGE"],
        runtime_image=values["KN_RUNTIME_IMAGE"],
        env=values,
    )


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:10]


def git_commit(path: Path) -> None:
    """Make ``path`` a git repository with one commit of everything (kubenative build tags the
    image with the commit)."""
    for args in (("init", "-q", "-b", "main"), ("add", "-A"), ("commit", "-q", "-m", "e2e")):
        subprocess.run(
            ["git", "-c", "user.email=e2e@kubenative.test", "-c", "user.name=e2e", *args],
            cwd=path,
            check=True,
            capture_output=True,
        )


def kubenative_build(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`kubenative build PATH ARGS...` as a user runs it, output captured."""
    return subprocess.run(
        [sys.executable, "-m", "kubenative", "build", str(path), *args],
        capture_output=True,
        text=True,
        timeout=900,
    )


def http_get(url: str, timeout: float = 60) -> tuple[int, str]:
    """GET ``url``, retrying until the server answers or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()
        except (urllib.error.URLError, ConnectionError, TimeoutError) as err:
            last = err
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {timeout}s: {last}")


@pytest.fixture
def container(engine: Engine) -> Iterator[list[str]]:
    """Names of containers started by a test; removed afterwards."""
    started: list[str] = []
    yield started
    for name in started:
        engine.run("rm", "-f", name, check=False)
