"""A small OCI distribution client: resolve an image reference to its manifest digest.

Only what pinning needs: parse a reference, ``HEAD``/``GET /v2/<repo>/manifests/<tag>``,
answer a bearer-token or basic-auth challenge with the user's Docker credentials.

A reference without a registry host belongs to the default index. Its address is never built
in: it comes from ``KUBENATIVE_DEFAULT_REGISTRY`` (a host, or an index URL), else from the
index address that ``docker login`` recorded in the Docker config (an ``auths`` key ending in
``/v1/``), else from ``index_lookup`` (the caller asks the engine: ``docker info``'s
``IndexServerAddress``), only when a reference needs it.
Loopback registries are spoken to over plain http, every other one over https.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

from kubenative.errors import UserError

DEFAULT_REGISTRY_ENV = "KUBENATIVE_DEFAULT_REGISTRY"
MANIFEST_TYPES = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
LOOPBACK = ("127.0.0.1", "localhost", "::1")

_REPO = re.compile(
    r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$"
)
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
_PARAM = re.compile(r'([A-Za-z_][\w-]*)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)')


@dataclass(frozen=True)
class Reference:
    """An image reference split into parts; ``text`` is the reference as written."""

    text: str
    registry: str | None  # host[:port]; None: the default index
    repository: str
    tag: str | None
    digest: str | None

    @property
    def version(self) -> str:
        """What goes after ``/manifests/``: the digest when there is one, else the tag."""
        return self.digest or self.tag or "latest"


def parse_reference(text: str) -> Reference:
    """Split ``[host[:port]/]repo[:tag][@sha256:...]``. Official images on the default index
    (a single path component) get the ``library/`` prefix."""
    name, _, digest = text.partition("@")
    if digest and not _DIGEST.match(digest):
        raise UserError(f"{text}: not a sha256 digest after '@'")
    first, slash, rest = name.partition("/")
    registry: str | None = None
    if slash and ("." in first or ":" in first or first == "localhost"):
        registry, name = first, rest
    tag: str | None = None
    last_slash = name.rfind("/")
    if ":" in name[last_slash + 1 :]:
        name, _, tag = name.rpartition(":")
        if not _TAG.match(tag):
            raise UserError(f"{text}: {tag!r} is not a valid tag")
    if not _REPO.match(name):
        raise UserError(f"{text}: {name!r} is not a valid repository name (lowercase, / . _ -)")
    if registry is None and "/" not in name:
        name = f"library/{name}"
    return Reference(text, registry, name, tag, digest or None)


def parse_challenge(header: str) -> tuple[str, dict[str, str]]:
    """``Bearer realm="...",service="...",scope="..."`` → ("bearer", {realm, service, scope})."""
    scheme, _, rest = header.strip().partition(" ")
    params = {}
    for key, value in _PARAM.findall(rest):
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        params[key.lower()] = value
    return scheme.lower(), params


def _host_of(address: str) -> str:
    """``https://host:port/v1/`` or ``host:port`` → ``host:port``."""
    if "://" in address:
        return urllib.parse.urlsplit(address).netloc
    return address.split("/", 1)[0]


@dataclass(frozen=True)
class DockerConfig:
    """The parts of the user's Docker config that matter here."""

    auths: Mapping[str, Any]
    creds_store: str | None
    cred_helpers: Mapping[str, str]
    path: Path

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None) -> DockerConfig:
        env = os.environ if environ is None else environ
        folder = Path(env["DOCKER_CONFIG"]) if env.get("DOCKER_CONFIG") else Path.home() / ".docker"
        path = folder / "config.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            data = {}
        except (OSError, ValueError) as err:
            raise UserError(f"{path}: cannot read the Docker config ({err})") from err
        if not isinstance(data, dict):
            data = {}
        return cls(
            auths=data.get("auths") or {},
            creds_store=data.get("credsStore") or None,
            cred_helpers=data.get("credHelpers") or {},
            path=path,
        )

    def index_address(self) -> str | None:
        """The default index that ``docker login`` recorded (a key with a ``/v1/`` path)."""
        for key in sorted(self.auths):
            if "://" in key and urllib.parse.urlsplit(key).path.rstrip("/").endswith("/v1"):
                return key
        return None

    def credentials(self, host: str) -> tuple[str, str] | None:
        """(user, password) for ``host`` from ``auths[...].auth``; raises when only a
        credential helper knows them."""
        for key, entry in sorted(self.auths.items()):
            if _host_of(key) != host or not isinstance(entry, dict) or not entry.get("auth"):
                continue
            try:
                user, sep, password = base64.b64decode(entry["auth"]).decode().partition(":")
            except (ValueError, UnicodeDecodeError) as err:
                raise UserError(
                    f"{self.path}: the auth entry for {key} is not base64 user:password"
                ) from err
            if sep:
                return user, password
        helper = self.cred_helpers.get(host) or self.creds_store
        if helper:
            raise UserError(
                f"registry {host}: credentials are kept by the docker-credential-{helper} helper, "
                f"which kubenative cannot read yet; put an auths entry for {host} in {self.path} "
                "or use a DOCKER_CONFIG folder without the helper"
            )
        return None


def default_registry(environ: Mapping[str, str], config: DockerConfig) -> str | None:
    """host[:port] of the default index (see the module docstring), None when unknown."""
    address = environ.get(DEFAULT_REGISTRY_ENV) or config.index_address()
    return _host_of(address) if address else None


INDEX_TYPES = MANIFEST_TYPES[0], MANIFEST_TYPES[2]


@dataclass(frozen=True)
class Manifest:
    """What a reference resolves to: an image index (a "manifest list", one image per platform)
    or a single image."""

    digest: str
    media_type: str
    images: tuple[tuple[str, str], ...] = ()  # an index's (platform, digest), attestations left out
    size: int | None = None  # a single image's layers, compressed, as the registry stores them

    @property
    def is_index(self) -> bool:
        return self.media_type in INDEX_TYPES

    @property
    def platforms(self) -> tuple[str, ...]:
        return tuple(platform for platform, _ in self.images)


def _platform(entry: Mapping[str, Any]) -> str | None:
    """``linux/arm64/v8`` from an index entry's platform; None for attestations and others that
    name no real platform (BuildKit's provenance entries say ``unknown/unknown``)."""
    spec = entry.get("platform")
    if not isinstance(spec, dict):
        return None
    parts = [spec.get("os"), spec.get("architecture"), spec.get("variant")]
    if not parts[0] or not parts[1] or "unknown" in parts[:2]:
        return None
    return "/".join(str(p) for p in parts if p)


def parse_manifest(digest: str, media_type: str, body: bytes) -> Manifest:
    """The parts of a manifest (index or image) that kubenative reports."""
    try:
        data = json.loads(body)
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    media_type = data.get("mediaType") or media_type
    if media_type in INDEX_TYPES or "manifests" in data:
        images = tuple(
            (platform, str(entry.get("digest")))
            for entry in data.get("manifests") or ()
            if isinstance(entry, dict) and (platform := _platform(entry))
        )
        return Manifest(digest, media_type or MANIFEST_TYPES[0], images)
    layers = [layer.get("size") for layer in data.get("layers") or () if isinstance(layer, dict)]
    size = sum(n for n in layers if isinstance(n, int)) if layers else None
    return Manifest(digest, media_type, (), size)


def _header_digest(headers: Message) -> str | None:
    value = headers.get("Docker-Content-Digest")
    return value.strip() if value and _DIGEST.match(value.strip()) else None


class Client:
    """Resolves references to digests against real registries."""

    def __init__(
        self,
        config: DockerConfig,
        default: str | None = None,
        timeout: float = 30,
        index_lookup: Callable[[], str | None] | None = None,
    ) -> None:
        self.config = config
        self.default = default
        self.timeout = timeout
        self._index_lookup = index_lookup
        self._opener = urllib.request.build_opener()

    @classmethod
    def from_environment(
        cls,
        environ: Mapping[str, str] | None = None,
        index_lookup: Callable[[], str | None] | None = None,
    ) -> Client:
        env = os.environ if environ is None else environ
        config = DockerConfig.load(env)
        return cls(config, default_registry(env, config), index_lookup=index_lookup)

    def host(self, ref: Reference) -> str:
        if ref.registry:
            return ref.registry
        if not self.default and self._index_lookup:
            address, self._index_lookup = self._index_lookup(), None
            self.default = _host_of(address) if address else None
        if self.default:
            return self.default
        raise UserError(
            f"{ref.text} names no registry host and the default index is unknown; set "
            f"{DEFAULT_REGISTRY_ENV}=\"$(docker info --format '{{{{.IndexServerAddress}}}}')\""
        )

    def _manifest_url(self, ref: Reference) -> tuple[str, str]:
        """The registry host of ``ref`` and the URL of its manifest (plain http on loopback)."""
        host = self.host(ref)
        hostname = urllib.parse.urlsplit("//" + host).hostname
        scheme = "http" if hostname in LOOPBACK else "https"
        return host, f"{scheme}://{host}/v2/{ref.repository}/manifests/{ref.version}"

    def digest(self, text: str) -> str:
        """The digest the registry serves for ``text`` (an index digest for multi-arch tags)."""
        ref = parse_reference(text)
        host, url = self._manifest_url(ref)
        for method in ("HEAD", "GET"):
            status, headers, body = self._request(method, url, host, ref)
            if status == 404:
                raise UserError(f"{text}: tag not found")
            if status == 405 and method == "HEAD":
                continue
            if status >= 400:
                raise UserError(f"registry {host} answered {status} for {text}")
            found = _header_digest(headers)
            if found:
                return found
            if method == "GET":
                return "sha256:" + hashlib.sha256(body).hexdigest()
        raise UserError(f"registry {host} gave no digest for {text}")  # pragma: no cover

    def manifest(self, text: str) -> Manifest:
        """What ``text`` points to now: an index with its platforms, or one image."""
        ref = parse_reference(text)
        host, url = self._manifest_url(ref)
        status, headers, body = self._request("GET", url, host, ref)
        if status == 404:
            raise UserError(f"{text}: tag not found")
        if status >= 400:
            raise UserError(f"registry {host} answered {status} for {text}")
        digest = _header_digest(headers) or "sha256:" + hashlib.sha256(body).hexdigest()
        kind = (headers.get("Content-Type") or "").split(";", 1)[0].strip()
        return parse_manifest(digest, kind, body)

    def platform_images(self, text: str) -> tuple[Manifest, list[tuple[str, Manifest]]]:
        """The index ``text`` points to, and each platform's image (with its size)."""
        found = self.manifest(text)
        ref = parse_reference(text)
        base = f"{ref.registry}/{ref.repository}" if ref.registry else ref.repository
        images = [(p, self.manifest(f"{base}@{digest}")) for p, digest in found.images]
        return found, images

    def _request(
        self, method: str, url: str, host: str, ref: Reference
    ) -> tuple[int, Message, bytes]:
        headers = {"Accept": ", ".join(MANIFEST_TYPES)}
        status, reply, body = self._send(method, url, headers, host)
        if status not in (401, 403):
            return status, reply, body
        challenge = reply.get("WWW-Authenticate", "")
        scheme, params = parse_challenge(challenge) if challenge else ("", {})
        creds = self.config.credentials(host)
        if scheme == "bearer" and params.get("realm"):
            token = self._token(params, host, ref, creds)
            headers["Authorization"] = f"Bearer {token}"
        elif scheme == "basic" and creds:
            headers["Authorization"] = "Basic " + _basic(creds)
        else:
            raise UserError(f"registry {host} refused ({status}): run docker login {host}")
        status, reply, body = self._send(method, url, headers, host)
        if status in (401, 403):
            raise UserError(f"registry {host} refused ({status}): run docker login {host}")
        return status, reply, body

    def _token(
        self,
        params: Mapping[str, str],
        host: str,
        ref: Reference,
        creds: tuple[str, str] | None,
    ) -> str:
        query = {"scope": params.get("scope") or f"repository:{ref.repository}:pull"}
        if params.get("service"):
            query["service"] = params["service"]
        realm = params["realm"]
        url = realm + ("&" if "?" in realm else "?") + urllib.parse.urlencode(query)
        headers = {"Authorization": "Basic " + _basic(creds)} if creds else {}
        status, _, body = self._send("GET", url, headers, _host_of(realm))
        if status in (401, 403):
            raise UserError(f"registry {host} refused ({status}): run docker login {host}")
        try:
            answer = json.loads(body)
            token = answer.get("token") or answer.get("access_token")
        except (ValueError, AttributeError):
            token = None
        if status >= 400 or not isinstance(token, str):
            raise UserError(f"registry {host}: its token service {realm} answered {status}")
        return token

    def _send(
        self, method: str, url: str, headers: Mapping[str, str], host: str
    ) -> tuple[int, Message, bytes]:
        request = urllib.request.Request(url, method=method, headers=dict(headers))
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as err:
            with err:
                return err.code, err.headers, err.read()
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", None) or err
            raise UserError(f"cannot reach registry {host}: {reason}") from err


def _basic(creds: tuple[str, str]) -> str:
    return base64.b64encode(f"{creds[0]}:{creds[1]}".encode()).decode()


def engine_index() -> str | None:
    """The default index the Docker engine uses (``docker info``), None when it cannot tell."""
    from kubenative.docker import run

    argv = (run.docker(), "info", "--format", "{{.IndexServerAddress}}")
    try:
        done = run.run(argv, check=False)
    except UserError:  # no docker on PATH: the registry error says what to set instead
        return None
    address = done.output.strip()
    return address if done.ok and "://" in address and "\n" not in address else None
