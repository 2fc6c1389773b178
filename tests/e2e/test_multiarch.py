"""One multi-platform image, built by `kubenative build --platform linux/amd64,linux/arm64 --push`
on this amd64 machine, its arm64 half under QEMU (qemu-user-static, registered with
binfmt_misc by setup.sh), from the bookworm stand-ins that setup.sh pushed as multi-platform
tags (their arm64 images built under QEMU too).

The bundled example (an umbrella with an npm/esbuild frontend) is built with `--runtime minimal`,
so the arm64 image is scratch plus what `ldd` found under emulation: it can only start if that
walk collected arm64's own libraries. The checks: the registry holds one manifest list with
both platforms; the arm64 variant runs (`docker run --platform linux/arm64`), answers HTTP and
serves the JS the frontend built; its ERTS is aarch64 (the ELF header of beam.smp, and the
running VM's system architecture); the frontend stage ran once, on the build platform; no
image carries the build stages' JIT flag.

The BEAM's JIT under QEMU needs the flag at run time too (`docker run -e ERL_FLAGS=...`): the
image does not carry it, because on a real arm64 node it runs natively.

Time (2 cores, measured on the shared machine): about 7 minutes, almost all of it the arm64
build under emulation (deps, `mix compile`, `mix release` and the rootfs' ldd walk); the
frontend runs once, natively.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kubenative.docker.registry import Client, DockerConfig

from ..conftest import EXAMPLE
from .conftest import Engine, _unavailable, engine_for, git_commit, http_get, kubenative_build

RELEASE = "bookworm"  # the release setup.sh builds arm64 stand-ins for
PLATFORMS = ("linux/amd64", "linux/arm64")
# What OTP 25 (bookworm's) needs to run its JIT under QEMU (kubenative.plan.platforms)
JIT_FLAG = "+JPperf map"
ELF_MACHINE = {"linux/amd64": 0x3E, "linux/arm64": 0xB7}  # e_machine: x86-64, AArch64


@dataclass
class Built:
    engine: Engine
    path: Path
    image: str  # the repository
    tag: str  # repository:commit
    report: dict[str, Any]
    seconds: float


def _engine() -> Engine:
    engine = engine_for(RELEASE)
    platforms = engine.env.get(f"KN_{RELEASE.upper()}_PLATFORMS", "")
    if "linux/arm64" not in platforms.split(","):
        _unavailable(
            f"the e2e environment has no arm64 stand-ins (KN_{RELEASE.upper()}_PLATFORMS="
            f"{platforms!r}); re-run setup.sh"
        )
    return engine


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    engine = _engine()
    path = engine.copy_project(EXAMPLE, tmp_path_factory.mktemp("multiarch") / "kube_native")
    # the registry's tags: the local stand-in names hold the amd64 images only
    engine.init(path, "--platform", ",".join(PLATFORMS), "--runtime", "minimal", remote=True)
    _make_unique(path)
    git_commit(path)
    image = f"{engine.registry}/kn-multiarch/example-{uuid.uuid4().hex[:8]}"
    started = time.monotonic()
    proc = kubenative_build(path, "--image", image, "--push", "--cache", "registry", "--json")
    seconds = round(time.monotonic() - started, 1)
    assert proc.returncode == 0, proc.stderr[-6000:]
    report = json.loads(proc.stdout)
    print(f"\nkubenative build --platform {','.join(PLATFORMS)} --push: {seconds}s")
    print(proc.stderr[-3000:])
    yield Built(engine, path, image, report["tags"][0], report, seconds)
    listed = engine.run("image", "ls", "--format", "{{.Repository}}:{{.Tag}}", image)
    refs = [ref for ref in listed.stdout.split() if ref]
    if refs:
        engine.run("rmi", "-f", *refs, check=False)


def _make_unique(path: Path) -> None:
    """Inputs of deps and of the frontend that no earlier build on this engine had, so that every
    stage runs (the engine's build cache outlives CI runs)."""
    marker = uuid.uuid4().hex
    mix = path / "mix.exs"
    mix.write_text(mix.read_text() + f"\n# e2e multiarch build {marker}\n")
    package = path / "apps/kube_native_web/assets/package.json"
    data = json.loads(package.read_text())
    data["description"] = f"e2e multiarch build {marker}"
    package.write_text(json.dumps(data, indent=2) + "\n")


def _client() -> Client:
    return Client(DockerConfig.load({}), None, timeout=30)


def test_the_dockerfile_builds_assets_on_the_build_platform_and_tames_the_jit(
    built: Built,
) -> None:
    text = (built.path / "Dockerfile").read_text()
    assert "FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS frontend" in text
    assert f'echo "{JIT_FLAG}"' in text
    saved = (built.path / ".kubenative.toml").read_text()
    assert 'platform = "linux/amd64,linux/arm64"' in saved


def test_the_registry_holds_one_manifest_list_with_both_platforms(built: Built) -> None:
    index, images = _client().platform_images(built.tag)
    assert index.is_index, index
    assert set(PLATFORMS) <= set(index.platforms)
    assert built.report["index"] == index.digest
    by_platform = dict(images)
    reported = {p["platform"]: p for p in built.report["platforms"] if p["target"]}
    assert set(reported) == set(PLATFORMS)
    for platform in PLATFORMS:
        assert reported[platform]["digest"] == by_platform[platform].digest
        assert reported[platform]["size"] and reported[platform]["size"] > 1_000_000


def test_the_frontend_ran_once_on_the_build_platform(built: Built) -> None:
    per = {p["platform"]: {s["name"]: s for s in p["stages"]} for p in built.report["platforms"]}
    assert "frontend" not in per["linux/arm64"], per["linux/arm64"]
    frontend = per["linux/amd64"]["frontend"]  # this machine's platform
    assert frontend["ran"] > 0, frontend
    # the per-target stages ran for each platform
    for platform in PLATFORMS:
        assert per[platform]["releaser"]["total"] > 0, platform
    # summed over the build log's steps: the frontend's steps appear once, the releaser's twice
    stages = {s["name"]: s for s in built.report["stages"]}
    assert stages["frontend"]["total"] == frontend["total"]
    assert stages["releaser"]["total"] == 2 * per["linux/arm64"]["releaser"]["total"]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_each_platform_answers_http(
    built: Built, platform: str, container: list[str], unique: str
) -> None:
    name = f"kn-multiarch-{unique}"
    container.append(name)
    engine = built.engine
    flags = ["--platform", platform, "--name", name, "-p", "127.0.0.1::4000"]
    if platform != PLATFORMS[0]:  # emulated here: the JIT needs its flag at run time too
        flags += ["-e", f"ERL_FLAGS={JIT_FLAG}"]
    engine.run("run", "-d", *flags, built.tag)
    address = engine.run("port", name, "4000/tcp").stdout.split()[0]
    try:
        assert http_get(f"http://{address}/", timeout=300) == (200, "Hello from KubeNative!")
        status, script = http_get(f"http://{address}/assets/app.js")
        assert status == 200 and len(script) > 1000  # built once by the frontend, on amd64
    except AssertionError:
        logs = engine.run("logs", name, check=False)
        print(logs.stdout[-3000:], logs.stderr[-3000:])
        raise
    arch = engine.run(
        "exec", name, "/app/bin/kube_native", "rpc",
        "IO.puts(:erlang.system_info(:system_architecture))", timeout=300,
    ).stdout  # fmt: skip
    assert arch.startswith("aarch64-" if platform == "linux/arm64" else "x86_64-"), arch


@pytest.mark.parametrize("platform", PLATFORMS)
def test_erts_and_libraries_are_the_platforms_own(
    built: Built, platform: str, tmp_path: Path
) -> None:
    engine = built.engine
    name = f"kn-multiarch-cp-{uuid.uuid4().hex[:8]}"
    engine.run("create", "--platform", platform, "--name", name, built.tag)
    try:
        found = engine.run(
            "run", "--rm", "--platform", platform, "--entrypoint", "find", built.tag,
            "/app", "/lib", "/usr/lib", "-name", "beam.smp", "-o", "-name", "ld-linux-*",
            "-o", "-name", "libc.so.6",
        ).stdout.split()  # fmt: skip
        beam = next(f for f in found if f.endswith("/beam.smp"))
        engine.run("cp", f"{name}:{beam}", str(tmp_path / "beam.smp"))
        header = (tmp_path / "beam.smp").read_bytes()[:20]
        assert header[:4] == b"\x7fELF"
        assert int.from_bytes(header[18:20], "little") == ELF_MACHINE[platform]
        triplet = "aarch64-linux-gnu" if platform == "linux/arm64" else "x86_64-linux-gnu"
        libc = [f for f in found if f.endswith("/libc.so.6")]
        assert libc and all(triplet in f for f in libc), found
        other = "x86_64-linux-gnu" if platform == "linux/arm64" else "aarch64-linux-gnu"
        assert not any(other in f for f in found), found
    finally:
        engine.run("rm", "-f", name, check=False)


def test_no_image_carries_the_build_stages_jit_flag(built: Built) -> None:
    for platform in PLATFORMS:
        env = built.engine.run(
            "run", "--rm", "--platform", platform, "--entrypoint", "env", built.tag
        ).stdout  # fmt: skip
        assert "ERL_FLAGS" not in env, (platform, env)
        missing = built.engine.run(
            "run", "--rm", "--platform", platform, "--entrypoint", "test", built.tag,
            "-e", "/etc/erl-emulation.args", check=False,
        )  # fmt: skip
        assert missing.returncode == 1, platform


def test_pin_records_the_stand_ins_manifest_lists(tmp_path: Path) -> None:
    engine = _engine()
    path = engine.copy_project(EXAMPLE, tmp_path / "kube_native")
    engine.init(path, "--platform", ",".join(PLATFORMS), remote=True)
    proc = subprocess.run(
        [sys.executable, "-m", "kubenative", "pin", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    builder = engine.key("BUILDER_IMAGE_REMOTE")
    digest = engine.key("BUILDER_IMAGE_DIGEST")  # what the registry serves for the tag: the index
    assert f"pinned {builder}@{digest} (manifest list: linux/amd64, linux/arm64)" in proc.stdout
    assert "warning" not in proc.stderr, proc.stderr
