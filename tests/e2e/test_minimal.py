"""Build the `--runtime minimal` image of every fixture, run it, and check it works like the slim
one: HTTP, eval, rpc, pid, remote, :crypto and :ssl, uid 1000, no planted secret; that it holds
nothing but the release and what the collection stage puts in; and what `kubenative report`
says of its size against the slim image's."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kubenative import report

from .conftest import Engine, http_get
from .test_images import FIXTURES, Fixture, _layers, _plant_secrets

pytestmark = pytest.mark.every_release  # once on each Debian release's stand-ins
# Fixtures whose release includes :ssl (extra_applications); the others check :crypto only.
WITH_SSL = {"umbrella"}
# Everything outside /app the collection stage may put in the image.
ALLOWED = ("/lib/", "/lib64/", "/usr/lib/", "/bin/busybox", "/etc/")
OVERHEAD_LIMIT = 20_000_000  # bytes; 15.6 MB measured for otp_service on the stand-in images


@dataclass
class Images:
    fixture: Fixture
    engine: Engine
    path: Path
    minimal: str
    slim: str
    secret: str

    @property
    def release(self) -> str:
        return f"/app/bin/{self.fixture.release}"


def _init(engine: Engine, path: Path, runtime: str) -> None:
    engine.init(path, "--runtime", runtime)


@pytest.fixture(scope="module", params=FIXTURES, ids=[f.name for f in FIXTURES])
def images(
    request: pytest.FixtureRequest, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Images]:
    fixture: Fixture = request.param
    path = engine.copy_project(
        fixture.source, tmp_path_factory.mktemp(f"minimal-{fixture.name}") / fixture.name
    )
    marker = f"KN_PLANTED_SECRET_{uuid.uuid4().hex}"
    _plant_secrets(path, fixture, marker)
    tag = uuid.uuid4().hex[:8]
    result = Images(
        fixture,
        engine,
        path,
        f"kn-e2e/{fixture.name}:min-{tag}",
        f"kn-e2e/{fixture.name}:slim-{tag}",
        marker,
    )
    _init(engine, path, "slim")
    engine.run("build", "-t", result.slim, str(path))
    _init(engine, path, "minimal")
    engine.run("build", "-t", result.minimal, str(path))
    yield result
    engine.run("rmi", "-f", result.minimal, result.slim, check=False)


@pytest.fixture(scope="module")
def running(images: Images) -> Iterator[str]:
    """A container of the minimal image, answering HTTP; shared by the module's tests."""
    name = f"kn-e2e-min-{uuid.uuid4().hex[:8]}"
    images.engine.run("run", "-d", "--name", name, "-p", "127.0.0.1::4000", images.minimal)
    try:
        address = images.engine.run("port", name, "4000/tcp").stdout.split()[0]
        assert http_get(f"http://{address}/") == (200, images.fixture.body)
    except AssertionError:
        logs = images.engine.run("logs", name, check=False)
        print(logs.stdout, logs.stderr)
        images.engine.run("rm", "-f", name, check=False)
        raise
    yield name
    images.engine.run("rm", "-f", name, check=False)


def _rpc(images: Images, name: str, expression: str) -> str:
    return images.engine.run("exec", name, images.release, "rpc", expression).stdout.strip()


def test_answers_http_and_the_release_commands_work(
    images: Images, engine: Engine, running: str
) -> None:
    name = running
    assert engine.run("exec", name, images.release, "pid").stdout.strip().isdigit()
    assert _rpc(images, name, "IO.puts(:rpc_ok)") == "rpc_ok"
    evaluated = engine.run("run", "--rm", images.minimal, "eval", "IO.puts(1 + 1)").stdout
    assert evaluated.strip() == "2"
    # The remote shell's own node (the group leader's) halts itself: on OTP 26 to 27.3.4 an EOF
    # on a remote shell's stdin stops the node it is connected to (erlang/otp#9852).
    leave = ":erpc.cast(node(Process.group_leader()), :erlang, :halt, [])\n"
    remote = subprocess.run(
        [engine.docker, "exec", "-i", name, images.release, "remote"],
        input="IO.puts(:remote_ok)\n" + leave,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "remote_ok" in remote.stdout, remote.stdout + remote.stderr
    assert _rpc(images, name, "IO.puts(:still_up)") == "still_up"
    # UTF-8 file names need the C.UTF-8 locale files; without them ERTS says latin1
    encoding = _rpc(images, name, "IO.puts(:file.native_name_encoding())")
    assert encoding == "utf8"


def test_crypto_and_ssl_start(images: Images, running: str) -> None:
    name = running
    crypto = 'IO.puts(Base.encode16(:crypto.hash(:sha256, "kn")))'
    assert len(_rpc(images, name, crypto)) == 64
    started = "IO.puts(match?({:ok, _}, Application.ensure_all_started(:crypto)))"
    assert _rpc(images, name, started) == "true"
    if images.fixture.name not in WITH_SSL:
        return
    ssl = "IO.puts(match?({:ok, _}, Application.ensure_all_started(:ssl)))"
    assert _rpc(images, name, ssl) == "true"
    assert int(_rpc(images, name, "IO.puts(length(:public_key.cacerts_get()))")) > 50


def test_runs_as_uid_1000(images: Images, engine: Engine, running: str) -> None:
    status = engine.run("exec", running, "cat", "/proc/1/status").stdout
    uid_line = next(line for line in status.splitlines() if line.startswith("Uid:"))
    assert uid_line.split()[1:] == ["1000"] * 4


def test_no_planted_secret_in_any_layer(images: Images, engine: Engine, tmp_path: Path) -> None:
    scanned = 0
    for name, data in _layers(engine, images.minimal, tmp_path):
        assert images.secret.encode() not in data, f"secret found in blob {name}"
        scanned += data[257:262] == b"ustar"
    assert scanned >= 2


def _files(engine: Engine, image: str, tmp: Path) -> dict[str, int]:
    archive = tmp / "saved.tar"
    engine.run("save", "-o", str(archive), image)
    return report.flatten(layer.entries for layer in report.read_saved(archive))


def test_holds_only_the_release_and_what_it_needs(
    images: Images, engine: Engine, tmp_path: Path
) -> None:
    files = _files(engine, images.minimal, tmp_path)
    stray = [p for p in files if not p.startswith("/app/") and not p.startswith(ALLOWED)]
    assert stray == []
    assert "/etc/ssl/certs/ca-certificates.crt" in files
    assert not any("/apt/" in p or "/dpkg/" in p or p.endswith("/perl") for p in files)


def test_report_sizes_against_the_slim_image(images: Images, engine: Engine) -> None:
    measured = {}
    for kind, image in (("slim", images.slim), ("minimal", images.minimal)):
        proc = subprocess.run(
            [sys.executable, "-m", "kubenative", "report", image, "--json"],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stderr
        measured[kind] = json.loads(proc.stdout)
    # the release is the same in both, and the report counts what `find` in the slim one does
    script = "find /app -type f -printf '%s\\n' | awk '{s += $1} END {print s}'"
    counted = engine.run("run", "--rm", "--entrypoint", "/bin/sh", images.slim, "-c", script)
    release = int(counted.stdout.strip())
    assert measured["slim"]["release_bytes"] == measured["minimal"]["release_bytes"] == release
    slim, minimal = measured["slim"], measured["minimal"]
    # the minimal runtime's three layers, plus one per COPY of files the release reads at boot
    assert minimal["layers"] == 3 + images.fixture.boot_copies
    assert minimal["overhead_bytes"] < min(slim["overhead_bytes"], OVERHEAD_LIMIT)
    assert minimal["compressed_bytes"] < slim["compressed_bytes"]
    print(f"\n{images.fixture.name}: release {release / 1e6:.1f} MB")
    for kind, data in measured.items():
        print(
            f"  {kind:8} flattened {data['flattened_bytes'] / 1e6:6.1f} MB  "
            f"compressed {data['compressed_bytes'] / 1e6:6.1f} MB  "
            f"overhead {data['overhead_bytes'] / 1e6:6.1f} MB  layers {data['layers']}"
        )
