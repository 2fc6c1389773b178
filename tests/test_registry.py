"""The registry client: references, challenges, Docker config credentials, and the bearer and
basic flows against a small real HTTP server on 127.0.0.1."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from kubenative.docker.registry import (
    MANIFEST_TYPES,
    Client,
    DockerConfig,
    default_registry,
    parse_challenge,
    parse_reference,
)
from kubenative.errors import UserError

DIGEST = "sha256:" + "a" * 64


@pytest.mark.parametrize(
    ("text", "registry", "repository", "tag", "digest"),
    [
        ("debian:bookworm-slim", None, "library/debian", "bookworm-slim", None),
        ("hexpm/elixir:1.16.2-erlang-26.2.5", None, "hexpm/elixir", "1.16.2-erlang-26.2.5", None),
        ("alpine", None, "library/alpine", None, None),
        (
            "127.0.0.1:5000/kubenative-test/debian:x",
            "127.0.0.1:5000",
            "kubenative-test/debian",
            "x",
            None,
        ),
        ("localhost/app", "localhost", "app", None, None),
        ("mirror.example/team/app:1.0", "mirror.example", "team/app", "1.0", None),
        (f"mirror.example:8443/app@{DIGEST}", "mirror.example:8443", "app", None, DIGEST),
        (f"hexpm/elixir:1.16@{DIGEST}", None, "hexpm/elixir", "1.16", DIGEST),
    ],
)
def test_parse_reference(
    text: str, registry: str | None, repository: str, tag: str | None, digest: str | None
) -> None:
    ref = parse_reference(text)
    assert (ref.registry, ref.repository, ref.tag, ref.digest) == (
        registry,
        repository,
        tag,
        digest,
    )
    assert ref.text == text
    assert ref.version == (digest or tag or "latest")


@pytest.mark.parametrize("text", ["Debian:12", "app@sha256:12", "app:-bad", "a//b:1"])
def test_parse_reference_rejects(text: str) -> None:
    with pytest.raises(UserError, match="^" + re.escape(text) + ": "):
        parse_reference(text)


def test_parse_challenge() -> None:
    scheme, params = parse_challenge(
        'Bearer realm="https://auth.example/token",service="registry.example",'
        'scope="repository:team/app:pull,push"'
    )
    assert scheme == "bearer"
    assert params == {
        "realm": "https://auth.example/token",
        "service": "registry.example",
        "scope": "repository:team/app:pull,push",
    }
    assert parse_challenge('Basic realm="Registry Realm"') == ("basic", {"realm": "Registry Realm"})


def _config(tmp_path: Path, data: object) -> DockerConfig:
    (tmp_path / "config.json").write_text(json.dumps(data))
    return DockerConfig.load({"DOCKER_CONFIG": str(tmp_path)})


def _auth(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


def test_config_credentials_by_host(tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        {
            "auths": {
                "https://index.example/v1/": {"auth": _auth("hub", "secret")},
                "127.0.0.1:5001": {"auth": _auth("me", "p:ss")},
            }
        },
    )
    assert config.credentials("127.0.0.1:5001") == ("me", "p:ss")
    assert config.credentials("index.example") == ("hub", "secret")
    assert config.credentials("other.example") is None
    assert config.index_address() == "https://index.example/v1/"
    assert default_registry({}, config) == "index.example"
    assert default_registry({"KUBENATIVE_DEFAULT_REGISTRY": "m.example:5000"}, config) == (
        "m.example:5000"
    )


def test_config_missing_and_helpers(tmp_path: Path) -> None:
    empty = DockerConfig.load({"DOCKER_CONFIG": str(tmp_path / "none")})
    assert empty.credentials("x.example") is None and empty.index_address() is None
    assert default_registry({}, empty) is None
    helper = _config(tmp_path, {"auths": {"x.example": {}}, "credsStore": "pass"})
    with pytest.raises(UserError, match="docker-credential-pass helper"):
        helper.credentials("x.example")


def test_no_default_registry_is_a_clear_error(tmp_path: Path) -> None:
    client = Client(DockerConfig.load({"DOCKER_CONFIG": str(tmp_path)}), None)
    with pytest.raises(UserError, match="KUBENATIVE_DEFAULT_REGISTRY"):
        client.digest("debian:bookworm")


MANIFEST = b'{"schemaVersion": 2}'


class FakeRegistry(BaseHTTPRequestHandler):
    """A registry that wants a bearer token (from its own /token) or basic auth."""

    mode = "bearer"
    send_digest = True
    seen: ClassVar[list[tuple[str, str, str]]] = []

    def log_message(self, *args: object) -> None:
        pass

    def _reply(self, code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        auth = self.headers.get("Authorization", "")
        self.seen.append((self.command, self.path, auth))
        host = self.headers["Host"]
        if self.path.startswith("/token?"):
            if auth != "Basic " + _auth("me", "pw"):
                return self._reply(401)
            return self._reply(200, json.dumps({"token": "T0K"}).encode())
        if not self.path.startswith("/v2/team/app/manifests/"):
            return self._reply(404)
        if self.mode == "bearer" and auth != "Bearer T0K":
            challenge = f'Bearer realm="http://{host}/token",service="fake",scope="repository:team/app:pull"'
            return self._reply(401, headers={"WWW-Authenticate": challenge})
        if self.mode == "basic" and auth != "Basic " + _auth("me", "pw"):
            return self._reply(401, headers={"WWW-Authenticate": 'Basic realm="fake"'})
        if self.path.endswith("/missing"):
            return self._reply(404)
        assert self.headers["Accept"] == ", ".join(MANIFEST_TYPES)
        headers = {"Content-Type": MANIFEST_TYPES[1]}
        if self.send_digest:
            headers["Docker-Content-Digest"] = DIGEST
        self._reply(200, MANIFEST, headers)


@pytest.fixture
def fake_registry() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRegistry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeRegistry.seen = []
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _client(tmp_path: Path, host: str, creds: bool) -> Client:
    auths = {host: {"auth": _auth("me", "pw")}} if creds else {}
    return Client(_config(tmp_path, {"auths": auths}), None, timeout=5)


@pytest.mark.parametrize("mode", ["bearer", "basic"])
def test_digest_with_credentials(
    tmp_path: Path, fake_registry: str, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FakeRegistry, "mode", mode)
    client = _client(tmp_path, fake_registry, creds=True)
    assert client.digest(f"{fake_registry}/team/app:1.0") == DIGEST
    assert FakeRegistry.seen[0][:2] == ("HEAD", "/v2/team/app/manifests/1.0")
    with pytest.raises(UserError, match=r"team/app:missing: tag not found"):
        client.digest(f"{fake_registry}/team/app:missing")


@pytest.mark.parametrize("mode", ["bearer", "basic"])
def test_digest_without_credentials_is_refused(
    tmp_path: Path, fake_registry: str, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FakeRegistry, "mode", mode)
    client = _client(tmp_path, fake_registry, creds=False)
    with pytest.raises(
        UserError, match=rf"registry {fake_registry} refused \(401\): run docker login"
    ):
        client.digest(f"{fake_registry}/team/app:1.0")


def test_digest_from_body_when_header_missing(
    tmp_path: Path, fake_registry: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FakeRegistry, "mode", "open")
    monkeypatch.setattr(FakeRegistry, "send_digest", False)
    client = _client(tmp_path, fake_registry, creds=False)
    expected = "sha256:" + hashlib.sha256(MANIFEST).hexdigest()
    assert client.digest(f"{fake_registry}/team/app:1.0") == expected
    assert [m for m, _, _ in FakeRegistry.seen] == ["HEAD", "GET"]


def test_unreachable_registry(tmp_path: Path) -> None:
    client = _client(tmp_path, "127.0.0.1:9", creds=False)
    with pytest.raises(UserError, match=r"cannot reach registry 127\.0\.0\.1:9: "):
        client.digest("127.0.0.1:9/team/app:1.0")


def test_default_index_asked_once_and_only_when_needed(
    tmp_path: Path, fake_registry: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FakeRegistry, "mode", "open")
    asked: list[int] = []

    def lookup() -> str:
        asked.append(1)
        return f"http://{fake_registry}/v1/"

    config = DockerConfig.load({"DOCKER_CONFIG": str(tmp_path)})
    client = Client.from_environment({"DOCKER_CONFIG": str(tmp_path)}, index_lookup=lookup)
    assert client.config == config
    assert client.digest(f"{fake_registry}/team/app:1.0") == DIGEST
    assert asked == []
    assert client.digest("team/app:1.0") == DIGEST
    assert client.digest("team/app:2.0") == DIGEST
    assert asked == [1]
