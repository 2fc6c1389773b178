"""The command line's parser, and the generation options it takes that init saves."""

from __future__ import annotations

import argparse
from typing import Any

from kubenative import __version__
from kubenative.options import CLUSTER_CHOICES, OS_CHOICES, RUNTIME_CHOICES

OPTION_FLAGS = (
    "os",
    "os_release",
    "elixir",
    "otp",
    "node",
    "builder_image",
    "node_image",
    "runtime_image",
    "release",
    "port",
    "user_id",
    "runtime",
    "bake",
    "k8s",
    "k8s_dir",
    "image",
    "namespace",
    "replicas",
    "host",
    "health_path",
    "cluster",
    "dockerfile",
    "app",
    "platform",
)


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kubenative",
        description="Take an Elixir/Phoenix project (umbrella or not) to production on "
        "Kubernetes: an optimized multi-stage Dockerfile, cache-friendly builds, manifests.",
    )
    parser.add_argument("--version", action="version", version=f"kubenative {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    inspect = commands.add_parser("inspect", help="show what the project is")
    inspect.add_argument("path", nargs="?", default=".", help="the project (default: .)")
    inspect.add_argument("--json", action="store_true", help="print one JSON object")
    inspect.add_argument("--app", metavar="FOLDER", help="the poncho app to inspect")
    inspect.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when the project has a problem that stops init or the build "
        "(default: list the problems and exit 0)",
    )

    init = commands.add_parser("init", help="write the Dockerfile and .dockerignore")
    init.add_argument("path", nargs="?", default=".", help="the project (default: .)")
    _write_modes(init)
    init.add_argument(
        "--force", action="store_true", help="overwrite files that were edited by hand"
    )
    _generation_options(init)
    init.add_argument(
        "--bake",
        action="store_true",
        default=None,
        help="also write docker-bake.hcl (a target per stage, registry cache; saved)",
    )

    _k8s_parser(commands)

    check = commands.add_parser(
        "check", help="exit 1 with a diff when the files differ from what init would write"
    )
    check.add_argument("path", nargs="?", default=".", help="the project (default: .)")

    pin = commands.add_parser(
        "pin", help="pin every base image to the digest its tag points to now (needs the registry)"
    )
    pin.add_argument("path", nargs="?", default=".", help="the project (default: .)")
    pin.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when a pinned tag now points to another digest",
    )
    pin.add_argument(
        "--force", action="store_true", help="overwrite files that were edited by hand"
    )

    report = commands.add_parser(
        "report", help="an image's size: compressed, flattened, the release and the rest"
    )
    report.add_argument("image", help="an image in the local engine")
    report.add_argument("--json", action="store_true", help="print one JSON object")
    _build_parser(commands)
    return parser


def _write_modes(parser: argparse.ArgumentParser) -> None:
    """``--dry-run`` or ``--diff``: the two ways init and k8s show their files without writing."""
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="print the files, write nothing")
    mode.add_argument(
        "--diff",
        action="store_true",
        help="show what would change, write nothing (exit 1 when something would)",
    )


def _k8s_parser(commands: Any) -> None:
    k8s = commands.add_parser(
        "k8s", help="write a kustomize base of Kubernetes manifests (k8s/) for the same image"
    )
    k8s.add_argument("path", nargs="?", default=".", help="the project (default: .)")
    _write_modes(k8s)
    k8s.add_argument("--force", action="store_true", help="overwrite files edited by hand")
    group = k8s.add_argument_group("manifest options (saved in .kubenative.toml)")
    group.add_argument("--image", metavar="REF", help="image the manifests start from")
    group.add_argument("--namespace", metavar="NS", help="namespace to deploy into")
    group.add_argument("--replicas", type=int, metavar="N", help="pods to run (default: 2)")
    group.add_argument("--host", metavar="HOST", help="public host name (PHX_HOST)")
    group.add_argument(
        "--health-path", metavar="PATH", help="HTTP route the probes GET (default: found)"
    )
    group.add_argument(
        "--dir", dest="k8s_dir", metavar="DIR", help="folder of the base (default: k8s)"
    )
    group.add_argument(
        "--cluster",
        choices=CLUSTER_CHOICES,
        default=None,
        help="connect the pods as one BEAM cluster: dns (a headless Service: dns_cluster, "
        "libcluster's Kubernetes.DNS/DNSSRV/DNSPoll), kubernetes (libcluster's Kubernetes "
        "strategy, with RBAC to read endpoints) or none (default: what inspect finds)",
    )
    k8s.set_defaults(k8s=True)


def _build_parser(commands: Any) -> None:
    build = commands.add_parser(
        "build", help="build (and push) the image with a stage cache that survives CI runners"
    )
    build.add_argument("path", nargs="?", default=".", help="the project (default: .)")
    build.add_argument("--image", required=True, help="repository to tag, e.g. reg.example/app")
    build.add_argument("--push", action="store_true", help="push the image and its cache")
    build.add_argument(
        "--cache",
        choices=("stages", "registry", "none"),
        help="stages: tag and push every stage (any engine); registry: a buildx registry "
        "cache of every stage; none (default: registry when buildx can export it, else stages)",
    )
    build.add_argument(
        "--platform",
        metavar="LIST",
        help="target platforms, e.g. linux/amd64,linux/arm64: one multi-platform image, pushed "
        "as one manifest list (default: what init --platform saved, else the engine's)",
    )
    build.add_argument("--builder", help="buildx builder instance to use")
    build.add_argument("--latest", action="store_true", help="also tag IMAGE:latest")
    build.add_argument(
        "--hex-mirror",
        metavar="URL",
        help="Hex mirror for local.hex/local.rebar and deps.get (the HEX_MIRROR build argument)",
    )
    build.add_argument(
        "--hex-mirror-key",
        metavar="FILE",
        help="public key of a Hex mirror that signs with its own key (`mix hex.registry build`): "
        "Mix checks the Hex and rebar install lists with it and Hex the registry (the "
        "HEX_MIRROR_KEY build argument)",
    )
    build.add_argument(
        "--build-arg",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a build argument, e.g. HEX_BUILDS_URL=URL or HEX_CACERTS_PATH=PATH (repeatable)",
    )
    build.add_argument(
        "--secret",
        action="append",
        default=[],
        metavar="id=NAME,src=FILE",
        help="a build secret, e.g. id=npmrc,src=$HOME/.npmrc or id=hex_api_key,env=HEX_API_KEY "
        "(repeatable; never in a layer or the cache)",
    )
    build.add_argument(
        "--network", help="network of the RUN steps, e.g. host to reach a mirror on 127.0.0.1"
    )
    build.add_argument(
        "--dry-run", action="store_true", help="print the commands (shell-quoted), run nothing"
    )
    build.add_argument("--json", action="store_true", help="print one JSON report object")


def _generation_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("generation options (saved in .kubenative.toml)")
    group.add_argument(
        "--app",
        metavar="FOLDER",
        help="in a poncho layout (sibling Mix projects, no mix.exs on top): the app to build, "
        "e.g. apps/web; the context stays at PATH so its path dependencies are copied",
    )
    group.add_argument(
        "--output",
        dest="dockerfile",
        metavar="PATH",
        help="write the Dockerfile to PATH inside the project and its ignore file to "
        "PATH.dockerignore (BuildKit reads it there), leaving your own Dockerfile alone "
        "(default: Dockerfile and .dockerignore)",
    )
    group.add_argument(
        "--os", choices=OS_CHOICES, default=None, help="OS family of every image (default: debian)"
    )
    group.add_argument(
        "--os-release",
        metavar="RELEASE",
        help="OS release of every image, e.g. bookworm or bookworm-20240513 (default: the one "
        "kubenative's table pairs with the Elixir/OTP versions)",
    )
    group.add_argument("--elixir", metavar="VERSION", help="Elixir version (default: detected)")
    group.add_argument("--otp", metavar="VERSION", help="OTP version (default: detected)")
    group.add_argument("--node", metavar="VERSION", help="Node.js version (default: detected)")
    group.add_argument(
        "--builder-image",
        metavar="IMAGE",
        help="builder image, used verbatim (mirrors, private registries)",
    )
    group.add_argument("--node-image", metavar="IMAGE", help="Node image, used verbatim")
    group.add_argument("--runtime-image", metavar="IMAGE", help="runtime image, used verbatim")
    group.add_argument("--release", metavar="NAME", help="which release to ship")
    group.add_argument("--port", type=int, metavar="PORT", help="HTTP port (default: detected)")
    group.add_argument(
        "--user-id", type=int, metavar="UID", help="uid and gid the release runs as (default: 1000)"
    )
    group.add_argument(
        "--platform",
        metavar="LIST",
        help="target platforms, e.g. linux/amd64,linux/arm64: `kubenative build` and the bake "
        "file build them as one multi-platform image (default: the engine's platform)",
    )
    group.add_argument(
        "--runtime",
        choices=RUNTIME_CHOICES,
        default=None,
        help="final image: slim (the OS's slim image + the release's packages) or minimal "
        "(scratch + the release, the libraries it links, busybox; debian only) (default: slim)",
    )


def overrides(args: argparse.Namespace) -> dict[str, Any]:
    return {
        name: getattr(args, name, None)
        for name in OPTION_FLAGS
        if getattr(args, name, None) is not None
    }
