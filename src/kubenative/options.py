"""Generation options, their defaults, and the small file that saves the non-default ones.

The saved file (``.kubenative.toml`` in the project) makes `check` and a later `init` reproduce
exactly what the last `init` wrote. Precedence: defaults < saved file < command line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from kubenative.errors import UsageError, UserError

OPTIONS_FILE = ".kubenative.toml"
OS_CHOICES = ("debian", "alpine")
RUNTIME_CHOICES = ("slim", "minimal")
CLUSTER_CHOICES = ("dns", "kubernetes", "none")
_PIN = re.compile(r"^sha256:[0-9a-f]{64}$")
_PLATFORM = re.compile(r"^(?P<os>[a-z0-9]+)/(?P<arch>[a-z0-9_]+)(?:/(?P<variant>[a-z0-9]+))?$")


@dataclass(frozen=True)
class Options:
    os: str = "debian"
    os_release: str | None = None  # "bookworm", "bookworm-20240513", "3.19.1"; default: derived
    elixir: str | None = None
    otp: str | None = None
    node: str | None = None
    builder_image: str | None = None
    node_image: str | None = None
    runtime_image: str | None = None
    release: str | None = None
    port: int | None = None  # None: the port found in the project's config, else 4000
    user_id: int = 1000
    runtime: str = "slim"  # "minimal": the release on scratch with only the files it needs
    bake: bool = False  # also write docker-bake.hcl
    app: str | None = None  # --app: the poncho app to build (a folder of the project)
    dockerfile: str = "Dockerfile"  # --output: where the Dockerfile goes, inside the project
    # Kubernetes manifests (`kubenative k8s`): on once that command ran, then kept in step.
    k8s: bool = False
    k8s_dir: str = "k8s"
    image: str | None = None  # the image the manifests start from (CI sets the tag)
    namespace: str | None = None
    replicas: int = 2
    host: str | None = None  # PHX_HOST
    health_path: str | None = None  # the HTTP route the probes GET
    cluster: str | None = None  # "dns", "kubernetes", "none"; None: what inspect found
    # `k8s` on a project whose Dockerfile is not kubenative's: check covers the manifests only
    # (init owns the Dockerfile; running it turns this off).
    manifests_only: bool = False
    # --platform: "linux/amd64,linux/arm64", the platforms `kubenative build` and the bake file
    # build as one multi-platform image; None: the engine's own platform
    platform: str | None = None
    # image reference as written → "sha256:..."; written only by `kubenative pin`, sorted
    pins: tuple[tuple[str, str], ...] = ()

    @property
    def platform_list(self) -> tuple[str, ...]:
        return parse_platforms(self.platform) if self.platform else ()

    @property
    def k8s_base(self) -> str:
        """The manifests' folder as the paths of its files start (``k8s``, never ``k8s/``)."""
        return self.k8s_dir.strip("/")

    def validate(self) -> Options:
        if self.os not in OS_CHOICES:
            raise UsageError(f"--os must be one of {', '.join(OS_CHOICES)}, not {self.os!r}")
        if self.runtime not in RUNTIME_CHOICES:
            raise UsageError(
                f"--runtime must be one of {', '.join(RUNTIME_CHOICES)}, not {self.runtime!r}"
            )
        if self.runtime == "minimal" and self.os == "alpine":
            raise UsageError("--runtime minimal needs glibc: use --os debian")
        if self.port is not None and not 1 <= self.port <= 65535:
            raise UsageError(f"--port must be between 1 and 65535, not {self.port}")
        if self.user_id <= 0:
            raise UsageError(
                f"--user-id must be a positive number (the release must not run as root), "
                f"not {self.user_id}"
            )
        for name in ("builder_image", "node_image", "runtime_image"):
            value = getattr(self, name)
            if value is not None and (not value.strip() or any(c.isspace() for c in value)):
                flag = "--" + name.replace("_", "-")
                raise UsageError(f"{flag} must be an image reference without spaces: {value!r}")
        parts = self.dockerfile.split("/")
        if self.dockerfile.startswith("/") or ".." in parts or not parts[-1].strip(". "):
            raise UsageError(
                f"--output {self.dockerfile!r} must be a file path inside the project, such as "
                "Dockerfile.kubenative or docker/Dockerfile"
            )
        k8s_problem(self)
        if self.platform is not None:  # saved as written by kubenative: no spaces
            return replace(self, platform=",".join(parse_platforms(self.platform)))
        return self

    def non_defaults(self) -> dict[str, Any]:
        default = Options()
        return {k: v for k, v in asdict(self).items() if v != getattr(default, k)}

    def merged(self, overrides: dict[str, Any]) -> Options:
        """These options with ``overrides`` (from the command line) applied on top."""
        return replace(self, **overrides).validate()


def parse_platforms(text: str) -> tuple[str, ...]:
    """``linux/amd64,linux/arm64`` → each platform once, in the order given; one line on bad
    input (the images are Linux images)."""
    platforms: list[str] = []
    for word in (w.strip() for w in text.split(",")):
        match = _PLATFORM.match(word)
        if not match:
            raise UsageError(
                f"--platform {text!r}: {word!r} is not a platform; give os/arch[/variant] "
                "separated by commas, e.g. linux/amd64,linux/arm64"
            )
        if match["os"] != "linux":
            raise UsageError(f"--platform {text!r}: {word} is not a Linux platform")
        if word in platforms:
            raise UsageError(f"--platform {text!r}: {word} is given twice")
        platforms.append(word)
    return tuple(platforms)


_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_DNS_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
_HTTP_PATH = re.compile(r"^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$")


def k8s_problem(options: Options) -> None:
    """Reject Kubernetes options the API server or kustomize would reject later (exit 1)."""
    if options.replicas < 1:
        raise UserError(f"--replicas must be 1 or more, not {options.replicas}")
    if options.cluster is not None and options.cluster not in CLUSTER_CHOICES:
        raise UserError(
            f"--cluster must be one of {', '.join(CLUSTER_CHOICES)}, not {options.cluster!r}"
        )
    if options.namespace is not None and not _DNS_LABEL.match(options.namespace):
        raise UserError(
            f"--namespace {options.namespace!r} is not a DNS label (lowercase letters, digits "
            "and '-', at most 63, starting and ending with a letter or digit)"
        )
    if options.health_path is not None and not _HTTP_PATH.match(options.health_path):
        raise UserError(
            f"--health-path {options.health_path!r} is not an absolute URL path such as "
            "/health (no scheme, host, query or spaces)"
        )
    if options.host is not None and not _DNS_NAME.match(options.host):
        raise UserError(f"--host {options.host!r} is not a host name such as app.example.com")
    parts = options.k8s_dir.split("/")
    if options.k8s_dir.startswith("/") or ".." in parts or not options.k8s_dir.strip("/. "):
        raise UserError(f"--dir {options.k8s_dir!r} must be a folder inside the project")
    if options.image is not None and (not options.image.strip() or " " in options.image):
        raise UserError(f"--image must be an image reference without spaces: {options.image!r}")


def load(root: Path) -> Options:
    """The saved options of the project at ``root`` (defaults when there is no file)."""
    path = root / OPTIONS_FILE
    if not path.is_file():
        return Options()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise UserError(f"{OPTIONS_FILE}: not valid TOML ({err}); fix it or delete it") from err
    except OSError as err:
        raise UserError(f"{OPTIONS_FILE}: cannot read ({err.strerror})") from err
    known = {f.name: f for f in fields(Options)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key == "pins":
            values["pins"] = _load_pins(value)
            continue
        name = key.replace("-", "_")
        if name not in known:
            raise UserError(f"{OPTIONS_FILE}: unknown option {key!r}; remove it")
        values[name] = value
    try:
        return Options(**values).validate()
    except UserError as err:
        raise UserError(f"{OPTIONS_FILE}: {err}") from err


def dump(options: Options) -> str:
    """The body of the options file: one ``key = value`` per non-default option, sorted."""
    lines = [
        "# Options that differ from kubenative's defaults, reused by `kubenative check` and",
        "# `kubenative init`. Change them with `kubenative init --OPTION VALUE`.",
    ]
    if options.k8s:
        lines.append("# The manifests' options: `kubenative k8s --OPTION VALUE`.")
    for key, value in sorted(options.non_defaults().items()):
        toml_key = key.replace("_", "-")
        if value is None or key == "pins":
            continue
        if isinstance(value, bool | int):
            lines.append(f"{toml_key} = {str(value).lower()}")
        else:
            escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f'{toml_key} = "{escaped}"')
    if options.pins:
        lines += ["", "# Base image digests, written by `kubenative pin`.", "[pins]"]
        lines += [f'"{_escape(image)}" = "{_escape(pin)}"' for image, pin in sorted(options.pins)]
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _load_pins(table: Any) -> tuple[tuple[str, str], ...]:
    """The ``[pins]`` table: image reference → ``sha256:<64 hex>``, returned sorted."""
    if not isinstance(table, dict):
        raise UserError(f"{OPTIONS_FILE}: pins must be a table of image = digest")
    for image, digest in table.items():
        if not (isinstance(digest, str) and _PIN.match(digest)):
            raise UserError(
                f"{OPTIONS_FILE}: the pin for {image} is not a sha256 digest; run kubenative pin"
            )
    return tuple(sorted(table.items()))
