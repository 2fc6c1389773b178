"""Package mirrors and private registries reach the build, and what they carry stays out of it.

- A Hex mirror given to `kubenative build --hex-mirror` reaches `mix local.hex`: a local HTTP
  server (reached with `--network host`) sees Mix's request. The list it serves is unsigned, so
  that build stops at `mix local.hex`; the request is the proof that the build argument reached
  the step (test_mirror_key.py serves a list signed with a key of its own, and passes the key).
- The mirror ARGs, unset, leave the cache as a Dockerfile without them had it; set, the step
  that reads them runs again.
- An `.npmrc` given as a build secret is what `npm ci` authenticates with (the local registry
  sees its token), and the token is in no layer of the image and no blob of the exported cache.
- A base image without the official images' `docker-clean` apt setting keeps no apt caches.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import shutil
import tarfile
import threading
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kubenative.docker.progress import parse_plain
from kubenative.plan import HEX_INSTALL_ARGS, Instruction
from kubenative.render.dockerfile import _instruction

from ..conftest import EXAMPLE, REPO
from .conftest import Engine, git_commit, kubenative_build

OTP_SERVICE = REPO / "tests" / "e2e" / "fixtures" / "otp_service"


@dataclass
class Served:
    """A plain HTTP server on 127.0.0.1 serving ``files``; ``requests`` holds each request's
    path and headers (names in lower case)."""

    files: dict[str, bytes]
    port: int = 0
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def serve(files: dict[str, bytes]) -> Iterator[Served]:
    served = Served(files)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            headers = {key.lower(): value for key, value in self.headers.items()}
            served.requests.append((self.path, headers))
            body = served.files.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()


def hex_project(engine: Engine, tmp_path: Path) -> Path:
    """The OTP service with one Hex package, so the Dockerfile installs Hex (the step a mirror
    serves), written by `kubenative init`."""
    path = tmp_path / "otp_service"
    shutil.copytree(OTP_SERVICE, path)
    mix = path / "mix.exs"
    mix.write_text(mix.read_text().replace("    []\n", '    [{:jason, "~> 1.4"}]\n'))
    (path / "mix.lock").write_text(
        '%{\n  "jason": {:hex, :jason, "1.4.4", "'
        + "b" * 64
        + '", [:mix], [], "hexpm", "'
        + "c" * 64
        + '"},\n}\n'
    )
    engine.init(path)
    return path


def test_hex_mirror_argument_reaches_mix_local_hex(engine: Engine, tmp_path: Path) -> None:
    path = hex_project(engine, tmp_path)
    assert "ARG HEX_MIRROR HEX_BUILDS_URL HEX_CACERTS_PATH" in (path / "Dockerfile").read_text()
    git_commit(path)
    tree = {
        "/installs/hex-1.x.csv": b"2.0.0,unsigned,1.14.0\n",
        "/installs/hex-1.x.csv.signed": b"",
    }
    with serve(tree) as mirror:
        image = f"kn-e2e/mirror-{uuid.uuid4().hex[:10]}"
        args = ("--image", image, "--cache", "none", "--network", "host")
        done = kubenative_build(path, *args, "--hex-mirror", mirror.url)
    assert done.returncode == 1, done.stderr
    # The unsigned list is refused: the step that installs Hex failed, after asking the mirror.
    assert "stage `builder` failed at `RUN " in done.stderr
    assert "could not verify authenticity" in done.stderr
    paths = [request for request, _ in mirror.requests]
    assert "/installs/hex-1.x.csv" in paths, (paths, done.stderr[-2000:])


def _probe(engine: Engine, context: Path, dockerfile: str, *args: str) -> tuple[str, bool]:
    """Build ``dockerfile``; the probe step as BuildKit printed it (ARGs expanded) and whether
    it was CACHED."""
    (context / "Dockerfile").write_text(dockerfile)
    done = engine.run("build", "--progress=plain", *args, str(context))
    steps = parse_plain((done.stderr + done.stdout).splitlines())
    (probe,) = [s for s in steps if s.instruction.startswith("RUN echo mirror:")]
    return probe.instruction, probe.cached


def test_unset_mirror_arguments_keep_the_cache_and_set_ones_rerun(
    engine: Engine, tmp_path: Path
) -> None:
    head = f"FROM {engine.runtime_image}\nRUN echo {uuid.uuid4().hex} > /marker\n"
    probe = "RUN echo mirror: $HEX_MIRROR > /probe\n"
    declared = _instruction(Instruction("ARG", HEX_INSTALL_ARGS)) + "\n"
    assert _probe(engine, tmp_path, head + probe)[1] is False
    # The Dockerfile as kubenative writes it now: the ARG, unset, changes no cache key.
    assert _probe(engine, tmp_path, head + declared + probe)[1] is True
    assert _probe(engine, tmp_path, head + declared + probe)[1] is True
    with_mirror = ("--build-arg", "HEX_MIRROR=http://mirror.test")
    instruction, cached = _probe(engine, tmp_path, head + declared + probe, *with_mirror)
    assert "http://mirror.test" in instruction and cached is False


def _npm_package(name: str, version: str) -> bytes:
    """A package tarball as a registry serves it: package/package.json and package/index.js."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for member, text in (
            ("package/package.json", json.dumps({"name": name, "version": version})),
            ("package/index.js", "module.exports = 'kubenative';\n"),
        ):
            data = text.encode()
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _add_private_package(assets: Path, registry: str, tarball: bytes) -> None:
    """Depend on @kntest/probe, locked at the private registry's URL."""
    name, version = "@kntest/probe", "1.0.0"
    package = json.loads((assets / "package.json").read_text())
    package["dependencies"][name] = version
    (assets / "package.json").write_text(json.dumps(package, indent=2) + "\n")
    lock = json.loads((assets / "package-lock.json").read_text())
    lock["packages"][""]["dependencies"][name] = version
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    lock["packages"][f"node_modules/{name}"] = {
        "version": version,
        "resolved": f"{registry}/{name}/-/probe-{version}.tgz",
        "integrity": integrity,
    }
    (assets / "package-lock.json").write_text(json.dumps(lock, indent=2) + "\n")


ACCEPT = ", ".join(
    (
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    )
)


def _registry_blobs(registry: str, repository: str, reference: str) -> Iterator[bytes]:
    """Every manifest and blob reachable from ``repository:reference``, decompressed."""
    seen: set[str] = set()
    pending = [("manifests", reference)]
    while pending:
        kind, ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        url = f"http://{registry}/v2/{repository}/{kind}/{ref}"
        request = urllib.request.Request(url, headers={"Accept": ACCEPT})
        with urllib.request.urlopen(request, timeout=60) as response:
            data = response.read()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        yield data
        if kind != "manifests":
            continue
        document = json.loads(data)
        children = [*document.get("manifests", []), *document.get("layers", [])]
        if "config" in document:
            children.append(document["config"])
        for child in children:
            media = child.get("mediaType", "")
            manifest = "manifest" in media or "image.index" in media
            pending.append(("manifests" if manifest else "blobs", child["digest"]))


def test_npmrc_secret_reaches_npm_and_stays_out_of_layers_and_cache(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "kube_native"
    shutil.copytree(EXAMPLE, path)
    engine.init(path, remote=True)
    token = f"KN_NPM_TOKEN_{uuid.uuid4().hex}"
    tarball = _npm_package("@kntest/probe", "1.0.0")
    with serve({"/@kntest/probe/-/probe-1.0.0.tgz": tarball}) as registry:
        _add_private_package(path / "apps/kube_native_web/assets", registry.url, tarball)
        git_commit(path)
        npmrc = tmp_path / "npmrc"
        host = registry.url.removeprefix("http:")
        npmrc.write_text(f"@kntest:registry={registry.url}/\n{host}/:_authToken={token}\n")
        repository = f"kn-e2e/npmrc-{uuid.uuid4().hex[:10]}"
        image = f"{engine.registry}/{repository}"
        args = ("--image", image, "--cache", "registry", "--push", "--network", "host", "--json")
        done = kubenative_build(path, *args, "--secret", f"id=npmrc,src={npmrc}")
    assert done.returncode == 0, done.stderr[-3000:]
    # npm fetched the private package with the token from the secret.
    auth = [headers.get("authorization") for p, headers in registry.requests if "probe" in p]
    assert f"Bearer {token}" in auth, registry.requests
    tag = json.loads(done.stdout)["tags"][0].rsplit(":", 1)[-1]
    # The image and the cache of every stage (mode=max), layer by layer, decompressed.
    frontend_files = 0
    for reference in (tag, "buildcache-main"):
        for blob in _registry_blobs(engine.registry, repository, reference):
            assert token.encode() not in blob, f"the npm token leaked into {repository}:{reference}"
            frontend_files += b"module.exports = 'kubenative'" in blob
    # The scan did read the frontend stage's layers: the private package is in its node_modules.
    assert frontend_files >= 1


def test_runtime_keeps_no_apt_cache_on_a_base_without_docker_clean(
    engine: Engine, tmp_path: Path
) -> None:
    base = f"kn-e2e/no-docker-clean:{uuid.uuid4().hex[:10]}"
    context = tmp_path / "base"
    context.mkdir()
    (context / "Dockerfile").write_text(
        f"FROM {engine.runtime_image}\nRUN rm /etc/apt/apt.conf.d/docker-clean\n"
    )
    engine.run("build", "-t", base, str(context))
    path = tmp_path / "otp_service"
    shutil.copytree(OTP_SERVICE, path)
    engine.init(path, "--runtime-image", base)
    image = f"kn-e2e/otp-no-docker-clean:{uuid.uuid4().hex[:8]}"
    try:
        engine.run("build", "-t", image, str(path))
        script = (
            "ls /var/cache/apt/*.bin /var/lib/apt/lists/*_Packages* 2>/dev/null; "
            "find / -xdev -name '*.deb' 2>/dev/null; true"
        )
        shell = ("run", "--rm", "--user", "0", "--entrypoint", "/bin/sh", image, "-c")
        assert engine.run(*shell, script).stdout == ""
        kilobytes = engine.run(*shell, "du -sk /var/cache/apt").stdout.split()[0]
        assert int(kilobytes) < 100  # 75 MB before the install step cleaned up itself
    finally:
        engine.run("rmi", "-f", image, base, check=False)
