"""`kubenative pin` against real registries: the shared local registry (digests of the stand-in
images, a tag that moves under a pin) and a second registry with htpasswd auth started here."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kubenative import app

from ..conftest import REPO
from .conftest import Engine, git_commit, http_get

OTP_SERVICE = REPO / "tests" / "e2e" / "fixtures" / "otp_service"
PIN_REPO = "kubenative-pin-test/debian"  # test-only; the shared stand-ins are never re-pushed


def kubenative(
    *args: str, docker_config: Path, check: bool = True
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "kubenative", *args],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "DOCKER_CONFIG": str(docker_config)},
    )
    if check:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def project(tmp_path: Path, engine: Engine, runtime_image: str) -> Path:
    path = engine.copy_project(OTP_SERVICE, tmp_path / "otp_service")
    release = [] if engine.tier.unpinned else ["--os-release", engine.release]
    kubenative(
        "init",
        str(path),
        "--builder-image",
        engine.key("BUILDER_IMAGE_REMOTE"),
        "--runtime-image",
        runtime_image,
        *release,
        docker_config=tmp_path,
    )
    return path


def pins(path: Path) -> dict[str, str]:
    saved: dict[str, str] = tomllib.loads((path / ".kubenative.toml").read_text())["pins"]
    return saved


def arg_defaults(path: Path) -> dict[str, str]:
    lines = (path / "Dockerfile").read_text().splitlines()
    return dict(line[4:].split("=", 1) for line in lines if line.startswith("ARG ") and "=" in line)


@pytest.mark.every_release
def test_pin_resolves_the_stand_ins(engine: Engine, tmp_path: Path) -> None:
    builder = engine.key("BUILDER_IMAGE_REMOTE")
    runtime = engine.key("RUNTIME_IMAGE_REMOTE")
    path = project(tmp_path, engine, runtime)
    out = kubenative("pin", str(path), docker_config=tmp_path).stdout
    assert "wrote Dockerfile" in out
    expected = {
        builder: engine.key("BUILDER_IMAGE_DIGEST"),
        runtime: engine.key("RUNTIME_IMAGE_DIGEST"),
    }
    assert pins(path) == expected
    args = arg_defaults(path)
    assert args["BUILDER_IMAGE"] == f"{builder}@{expected[builder]}"
    assert args["RUNTIME_IMAGE"] == f"{runtime}@{expected[runtime]}"
    # the engine accepts the pinned reference as written, and init/check keep the pins
    engine.run("pull", "-q", args["RUNTIME_IMAGE"])
    kubenative("init", str(path), "--port", "4321", docker_config=tmp_path)
    assert pins(path) == expected and arg_defaults(path) == args
    kubenative("check", str(path), docker_config=tmp_path)
    check = kubenative("pin", "--check", str(path), docker_config=tmp_path)
    assert f"ok: {runtime} still {expected[runtime]}" in check.stdout


@pytest.mark.every_release
def test_pin_check_fails_when_the_tag_moves(engine: Engine, tmp_path: Path, unique: str) -> None:
    moving = f"{engine.registry}/{PIN_REPO}:moving-{unique}"
    engine.run("tag", engine.runtime_image, moving)
    try:
        engine.run("push", "-q", moving)
        path = project(tmp_path, engine, moving)
        kubenative("pin", str(path), docker_config=tmp_path)
        old = pins(path)[moving]
        kubenative("pin", "--check", str(path), docker_config=tmp_path)

        # A rebuilt base image pushed under the same tag. (A LABEL-only rebuild failed with
        # "failed to solve: not found" on the containerd image store after a cache prune.)
        context = tmp_path / "rebuild"
        context.mkdir()
        (context / "Dockerfile").write_text(f"FROM {moving}\nRUN touch /{unique}\n")
        engine.run("build", "-q", "-t", moving, str(context))
        engine.run("push", "-q", moving)

        moved = kubenative("pin", "--check", str(path), docker_config=tmp_path, check=False)
        assert moved.returncode == 1, moved.stdout + moved.stderr
        line = next(x for x in moved.stderr.splitlines() if "moved" in x)
        assert line.startswith(f"kubenative: {moving} moved: pinned {old}, now sha256:")
        assert line.endswith("; run kubenative pin")
        assert engine.key("BUILDER_IMAGE_REMOTE") not in moved.stderr
        new = line.split("now ")[1].split(";")[0]
        assert new != old
        pushed = engine.run("image", "inspect", "--format", "{{json .RepoDigests}}", moving)
        assert f"{engine.registry}/{PIN_REPO}@{new}" in pushed.stdout

        kubenative("pin", str(path), docker_config=tmp_path)
        assert pins(path)[moving] == new
        kubenative("pin", "--check", str(path), docker_config=tmp_path)
    finally:
        engine.run("rmi", moving, check=False)


@dataclass(frozen=True)
class AuthRegistry:
    host: str
    user: str
    password: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def auth_registry(tmp_path: Path) -> Iterator[AuthRegistry]:
    """A second docker-registry on a free 127.0.0.1 port that wants htpasswd (bcrypt) auth."""
    for tool in ("docker-registry", "htpasswd"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is missing; run tests/e2e/env/setup.sh", pytrace=False)
    folder = tmp_path / "auth-registry"
    folder.mkdir()
    user, password = "kn", f"pw-{os.getpid()}"
    subprocess.run(
        ["htpasswd", "-Bbc", str(folder / "htpasswd"), user, password],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    (folder / "config.yml").write_text(
        "version: 0.1\n"
        "log:\n  level: warn\n"
        f"storage:\n  filesystem:\n    rootdirectory: {folder / 'data'}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n"
        f"auth:\n  htpasswd:\n    realm: kubenative-test\n    path: {folder / 'htpasswd'}\n"
    )
    with (folder / "registry.log").open("w") as log:
        proc = subprocess.Popen(
            ["docker-registry", "serve", str(folder / "config.yml")],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        status, _ = http_get(f"http://127.0.0.1:{port}/v2/", timeout=30)
        assert status == 401, (folder / "registry.log").read_text()
        yield AuthRegistry(f"127.0.0.1:{port}", user, password)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_pin_and_push_against_a_registry_with_auth(
    engine: Engine, auth_registry: AuthRegistry, tmp_path: Path
) -> None:
    image = f"{auth_registry.host}/kubenative-test/debian:bookworm-slim"
    anonymous = tmp_path / "anonymous"
    logged_in = tmp_path / "logged-in"
    anonymous.mkdir()
    logged_in.mkdir()
    path = project(tmp_path, engine, image)
    engine.run("tag", engine.runtime_image, image)
    try:
        push = engine.run("--config", str(anonymous), "push", image, check=False)
        assert push.returncode != 0
        assert "no basic auth credentials" in push.stderr + push.stdout

        engine.run(
            "--config", str(logged_in), "login", "-u", auth_registry.user,
            "--password", auth_registry.password, auth_registry.host,
        )  # fmt: skip
        engine.run("--config", str(logged_in), "push", "-q", image)

        refused = kubenative("pin", str(path), docker_config=anonymous, check=False)
        assert refused.returncode == 1
        assert (
            f"kubenative: error: registry {auth_registry.host} refused (401): "
            f"run docker login {auth_registry.host}"
        ) in refused.stderr
        assert "[pins]" not in (path / ".kubenative.toml").read_text()

        kubenative("pin", str(path), docker_config=logged_in)
        digest = pins(path)[image]
        repo_digests = engine.run(
            "image", "inspect", "--format", "{{json .RepoDigests}}", image
        ).stdout
        assert f"{image.rsplit(':', 1)[0]}@{digest}" in repo_digests
    finally:
        engine.run("rmi", image, check=False)


def test_build_push_without_login_is_refused(
    engine: Engine, auth_registry: AuthRegistry, tmp_path: Path
) -> None:
    """`kubenative build --push` to the htpasswd registry without credentials: the build runs
    (from the local stand-ins, so BuildKit's cache of test_images usually serves it), the push
    is refused with the login to run."""
    path = tmp_path / "otp_service"
    shutil.copytree(OTP_SERVICE, path)
    anonymous = tmp_path / "anonymous"
    anonymous.mkdir()
    kubenative(
        "init", str(path), "--builder-image", engine.builder_image,
        "--runtime-image", engine.runtime_image,
        "--os-release", engine.release, docker_config=anonymous,
    )  # fmt: skip
    git_commit(path)
    image = f"{auth_registry.host}/kubenative-test/otp"
    try:
        built = kubenative(
            "build", str(path), "--image", image, "--push", "--cache", "none",
            docker_config=anonymous, check=False,
        )  # fmt: skip
        assert built.returncode == 1, built.stdout + built.stderr
        assert (
            f"kubenative: error: the registry refused the push (401): "
            f"run docker login {auth_registry.host}"
        ) in built.stderr
    finally:
        listed = engine.run("image", "ls", "--format", "{{.Repository}}:{{.Tag}}", image)
        refs = listed.stdout.split()
        if refs:
            engine.run("rmi", *refs, check=False)


def test_the_default_index_comes_from_the_engine(engine: Engine) -> None:
    expected = engine.run("info", "--format", "{{.IndexServerAddress}}").stdout.strip()
    assert app._engine_index() == expected
