"""The end-to-end tier: a real Docker engine, real builds, real containers.

`tests/e2e/env/setup.sh` (run by scripts/test as root and in CI) starts the engine and a local
registry and builds offline stand-in base images; it writes what it set up to an env file that
these fixtures read. In CI (CI=true) a missing engine fails the run; elsewhere the tests skip
with one line saying how to run them.

Tests marked `every_release` run once per Debian release in RELEASES, against that release's
stand-ins (the `engine` fixture is parametrized); the others get the host release's engine.
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


@dataclass(frozen=True)
class Tier:
    """One Debian release the end-to-end builds run on, and how its projects are set up."""

    release: str
    # kubenative's default path: the fixtures' `.tool-versions` removed, so init picks the newest
    # Elixir/OTP of its table (a trixie build) and derives the OS release from it. Otherwise the
    # pins stay (Elixir 1.14, what the stand-in has) and --os-release names the images' release.
    unpinned: bool


# bookworm: Elixir 1.14 / OTP 25 / Node 18; trixie: Elixir 1.18 / OTP 27 / Node 20.
TIERS = {"bookworm": Tier("bookworm", unpinned=False), "trixie": Tier("trixie", unpinned=True)}
RELEASES = tuple(TIERS)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "every_release"
    ):
        metafunc.parametrize("engine", RELEASES, indirect=True, scope="session")


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
    release: str
    builder_image: str
    node_image: str
    runtime_image: str
    env: dict[str, str]

    @property
    def tier(self) -> Tier:
        return TIERS[self.release]

    def key(self, name: str) -> str:
        """The env file's value of ``name`` (e.g. ``BUILDER_IMAGE_REMOTE``) for this release."""
        return _release_key(self.env, self.release, name)

    def copy_project(self, source: Path, target: Path) -> Path:
        """Copy a fixture project to ``target``, set up as this release's tier builds it."""
        shutil.copytree(source, target)
        if self.tier.unpinned:
            (target / ".tool-versions").unlink(missing_ok=True)
        return target

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

        suffix = "_IMAGE_REMOTE" if remote else "_IMAGE"
        images = [
            f"--{which.lower()}-image={self.key(which + suffix)}"
            for which in ("BUILDER", "NODE", "RUNTIME")
        ]
        release = [] if self.tier.unpinned else ["--os-release", self.release]
        proc = subprocess.run(
            [sys.executable, "-m", "kubenative", "init", str(path), *images, *release, *extra],
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


def _release_key(values: dict[str, str], release: str, name: str) -> str:
    value = values.get(f"KN_{release.upper()}_{name}")
    if not value and release == values.get("KN_DEBIAN_CODENAME"):
        value = values.get(f"KN_{name}")  # an env file written before per-release keys
    if not value:
        _unavailable(
            f"the e2e environment has no {release} stand-ins (KN_{release.upper()}_{name})"
        )
    assert value
    return value


def engine_for(release: str | None = None) -> Engine:
    """The engine with the stand-in images of ``release`` (default: the host's release)."""
    values = _read_env()
    if values is None:
        _unavailable("no e2e environment file (setup.sh has not run)")
    assert values is not None
    docker = values.get("KN_DOCKER") or shutil.which("docker") or "docker"
    probe = subprocess.run([docker, "info"], capture_output=True, text=True)
    if probe.returncode != 0:
        _unavailable("the Docker engine is not reachable")
    release = release or values.get("KN_DEBIAN_CODENAME", RELEASES[0])
    return Engine(
        docker=docker,
        registry=values["KN_REGISTRY"],
        release=release,
        builder_image=_release_key(values, release, "BUILDER_IMAGE"),
        node_image=_release_key(values, release, "NODE_IMAGE"),
        runtime_image=_release_key(values, release, "RUNTIME_IMAGE"),
        env=values,
    )


@pytest.fixture(scope="session")
def engine(request: pytest.FixtureRequest) -> Engine:
    return engine_for(getattr(request, "param", None))


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


def start(
    engine: Engine, container: list[str], image: str, *flags: str, port: int = 4000
) -> tuple[str, str]:
    """`docker run -d` of ``image`` (``flags`` before it) with ``port`` published on 127.0.0.1,
    named in ``container`` for removal; returns the container's name and ``http://host:port``."""
    name = f"kn-e2e-{uuid.uuid4().hex[:8]}"
    container.append(name)
    engine.run("run", "-d", "--name", name, *flags, "-p", f"127.0.0.1::{port}", image)
    address = engine.run("port", name, f"{port}/tcp").stdout.split()[0]
    return name, f"http://{address}"


@pytest.fixture
def container(engine: Engine) -> Iterator[list[str]]:
    """Names of containers started by a test; removed afterwards."""
    started: list[str] = []
    yield started
    for name in started:
        engine.run("rm", "-f", name, check=False)
