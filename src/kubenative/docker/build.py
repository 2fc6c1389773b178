"""The docker commands of one build, per cache mode. Pure: nothing here runs anything.

- ``stages``: the article's workflow, for any engine. Each stage is built on its own with
  ``--target`` and an inline cache, tagged ``IMAGE:<stage>-<branch>`` and pushed; the next run
  passes them all as ``--cache-from`` (the classic builder does not cache earlier
  stages from one final image, moby #34715).
- ``registry``: one ``docker buildx build`` exporting every stage's layers (``mode=max``) to
  ``IMAGE:buildcache-<branch>``, importing from that and the default branch's cache.
- ``none``: one plain build.

The final tags are given to the build itself, so docker applies them only once every stage
succeeded; nothing is pushed before every build succeeded.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from kubenative.errors import UserError
from kubenative.gitinfo import GitInfo

Argv = tuple[str, ...]
MODES = ("stages", "registry", "none")
_FROM = re.compile(r"^\s*FROM\s+(?:--\S+\s+)*\S+\s+AS\s+([\w.-]+)\s*$", re.IGNORECASE)


def stage_names(dockerfile: str) -> tuple[str, ...]:
    """The ``AS`` names of the Dockerfile's stages, in order."""
    return tuple(m.group(1) for line in dockerfile.splitlines() if (m := _FROM.match(line)))


@dataclass(frozen=True)
class Request:
    context: Path
    dockerfile: Path
    image: str  # repository without a tag, e.g. registry.example:5000/team/app
    git: GitInfo
    stages: tuple[str, ...]
    mode: str
    push: bool = False
    latest: bool = False
    platform: str | None = None
    builder: str | None = None
    docker: str = "docker"
    # Given to every build of every mode: ``NAME=VALUE`` build arguments (the Hex mirror
    # settings), ``id=...,src=...`` secrets (never in a layer or the cache key), the network
    # of RUN steps (``host`` reaches a mirror on the runner's 127.0.0.1).
    build_args: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()
    network: str | None = None

    @property
    def platforms(self) -> tuple[str, ...]:
        """The target platforms given (comma-separated in ``platform``), none: the engine's."""
        return tuple(p for p in (self.platform or "").split(",") if p)

    @property
    def tags(self) -> tuple[str, ...]:
        tags = [f"{self.image}:{self.git.sha}"]
        if self.latest:
            tags.append(f"{self.image}:latest")
        return tuple(tags)

    @property
    def branches(self) -> tuple[str, ...]:
        """The branch first, then the default branch the cache of a new branch comes from."""
        git = self.git
        return (
            (git.branch,) if git.branch == git.default_branch else (git.branch, git.default_branch)
        )


@dataclass(frozen=True)
class Command:
    argv: Argv
    kind: str  # "build" or "push"
    stage: str | None = None  # for a build: the stage it reports on (None: all of them)


def validate_image(image: str) -> str:
    """``image`` without a tag or digest; a tag in it is refused (kubenative picks the tags)."""
    last = image.rsplit("/", 1)[-1]
    if not image or any(c.isspace() for c in image) or "@" in image or ":" in last:
        raise UserError(
            f"--image {image!r}: give the repository only, e.g. registry.example/team/app "
            "(kubenative tags it with the commit)"
        )
    if image != image.lower():
        raise UserError(f"--image {image!r}: image repositories must be lowercase")
    return image


# Words that mark a value as a credential: a build argument is written into the image's history
# (`docker history`) and the build cache, so such a value has to come through --secret.
_SECRET_WORDS = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|PASSWD|AUTH|CREDENTIAL", re.IGNORECASE)


# Names that look like credentials but carry public values.
_PUBLIC = frozenset({"HEX_MIRROR_KEY"})


def mirror_key(path: str) -> str:
    """``HEX_MIRROR_KEY=<PEM>`` from ``--hex-mirror-key FILE``: the public key of a Hex mirror
    made with `mix hex.registry build` (its `public_key`), which Mix and Hex check the mirror's
    signatures with (see kubenative.plan.deps). A private key is refused: it must never reach a
    build argument, which stays in the image history."""
    try:
        text = Path(path).expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UserError(f"--hex-mirror-key {path}: cannot read it ({err})") from err
    if "PRIVATE KEY" in text:
        raise UserError(
            f"--hex-mirror-key {path} is a private key: give the mirror's public key (the "
            "`public_key` file `mix hex.registry build` writes next to the registry)"
        )
    if not re.search(r"-----BEGIN (RSA )?PUBLIC KEY-----", text):
        raise UserError(
            f"--hex-mirror-key {path}: not a PEM public key (-----BEGIN PUBLIC KEY----- or "
            "-----BEGIN RSA PUBLIC KEY-----)"
        )
    return f"HEX_MIRROR_KEY={text.strip()}"


def build_arguments(
    hex_mirror: str | None, given: tuple[str, ...], hex_mirror_key: str | None = None
) -> tuple[str, ...]:
    """``--hex-mirror``, ``--hex-mirror-key`` and the ``--build-arg`` values, checked, as
    ``NAME=VALUE`` words."""
    args = [f"HEX_MIRROR={hex_mirror}"] if hex_mirror else []
    if hex_mirror_key:
        args.append(mirror_key(hex_mirror_key))
    for arg in given:
        name, equals, _ = arg.partition("=")
        if not equals or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise UserError(f"--build-arg {arg!r}: give NAME=VALUE, e.g. HEX_MIRROR=https://...")
        if name == "GIT_SHA":
            raise UserError("--build-arg GIT_SHA: kubenative sets it from git; drop it")
        if _SECRET_WORDS.search(name) and name not in _PUBLIC:
            raise UserError(
                f"--build-arg {name}: a build argument stays in the image history and the "
                f"build cache; pass credentials with --secret id=NAME,src=FILE instead"
            )
        args.append(arg)
    return tuple(args)


_ARG = re.compile(r"^\s*ARG\s+(.+)$", re.IGNORECASE | re.MULTILINE)
# Build arguments docker and BuildKit define themselves: usable without an ARG line.
_PREDEFINED = re.compile(
    r"(?i:(HTTP|HTTPS|FTP|NO|ALL)_PROXY)|BUILDKIT_\w+|SOURCE_DATE_EPOCH"
    r"|(BUILD|TARGET)(PLATFORM|OS|ARCH|VARIANT)"
)


def declared_args(dockerfile: str) -> set[str]:
    """The names every ``ARG`` line of the Dockerfile declares."""
    return {word.split("=", 1)[0] for line in _ARG.findall(dockerfile) for word in line.split()}


def undeclared(dockerfile: str, build_args: tuple[str, ...]) -> list[str]:
    """Warnings for build arguments the Dockerfile has no ``ARG`` for: docker ignores them
    without a word, which is how a mirror setting used to get lost."""
    declared = declared_args(dockerfile)
    return [
        f"--build-arg {name}: the Dockerfile declares no ARG {name}, so the build ignores it "
        "(the project has no step that reads it, or the Dockerfile predates it: kubenative init)"
        for name in (arg.partition("=")[0] for arg in build_args)
        if name not in declared and not _PREDEFINED.fullmatch(name)
    ]


def validate_secret(spec: str) -> str:
    """A ``--secret`` for docker: ``id=NAME`` with ``src=FILE`` or ``env=VAR``."""
    fields = dict(part.partition("=")[::2] for part in spec.split(","))
    if not fields.get("id") or not (fields.get("src") or fields.get("env")):
        raise UserError(
            f"--secret {spec!r}: give id=NAME,src=FILE (or id=NAME,env=VAR), "
            "e.g. id=npmrc,src=$HOME/.npmrc"
        )
    source, variable = fields.get("src"), fields.get("env")
    if source and not Path(source).expanduser().is_file():
        raise UserError(f"--secret {spec!r}: no file {source}")
    if variable and not source and variable not in os.environ:
        raise UserError(f"--secret {spec!r}: the environment variable {variable} is not set")
    return spec


def commands(req: Request) -> list[Command]:
    if req.mode == "stages":
        return _stages(req)
    if req.mode == "registry":
        return _registry(req)
    return _none(req)


def _build_base(req: Request, buildx: bool) -> list[str]:
    argv = [req.docker]
    if buildx or req.builder:
        argv += ["buildx", "build"]
        if req.builder:
            argv += ["--builder", req.builder]
    else:
        argv += ["build"]
    argv += ["--progress=plain", "-f", str(req.dockerfile)]
    if req.platform:
        argv += ["--platform", req.platform]
    if req.network:
        argv += ["--network", req.network]
    for arg in req.build_args:
        argv += ["--build-arg", arg]
    for secret in req.secrets:
        argv += ["--secret", secret]
    return argv


def _tags(tags: tuple[str, ...] | list[str]) -> list[str]:
    return [word for tag in tags for word in ("-t", tag)]


def _pushes(req: Request, refs: list[str]) -> list[Command]:
    return [Command((req.docker, "push", ref), "push") for ref in refs] if req.push else []


def stage_ref(req: Request, stage: str, branch: str) -> str:
    return f"{req.image}:{stage}-{branch}"


def _stages(req: Request) -> list[Command]:
    # No `docker pull` of the stage images first: BuildKit reads --cache-from images from the
    # registry itself, and with the containerd image store a pulled stage image made the
    # inline-cache export of the identical rebuild fail with "not found".
    builds: list[Command] = []
    for index, stage in enumerate(req.stages):
        argv = _build_base(req, buildx=False)
        argv += ["--target", stage, "--build-arg", "BUILDKIT_INLINE_CACHE=1"]
        for earlier in req.stages[: index + 1]:
            for branch in req.branches:
                argv += ["--cache-from", stage_ref(req, earlier, branch)]
        tags = [stage_ref(req, stage, req.git.branch)]
        if index == len(req.stages) - 1:
            argv += ["--build-arg", f"GIT_SHA={req.git.sha}"]
            tags += req.tags
        if req.builder:
            argv.append("--load")
        builds.append(Command((*argv, *_tags(tags), str(req.context)), "build", stage))
    pushed = [stage_ref(req, stage, req.git.branch) for stage in req.stages] + list(req.tags)
    return builds + _pushes(req, pushed)


def cache_ref(req: Request, branch: str) -> str:
    return f"{req.image}:buildcache-{branch}"


def _registry(req: Request) -> list[Command]:
    argv = _build_base(req, buildx=True)
    argv += ["--build-arg", f"GIT_SHA={req.git.sha}"]
    for branch in req.branches:
        argv += ["--cache-from", f"type=registry,ref={cache_ref(req, branch)}"]
    if req.push:
        argv += ["--cache-to", f"type=registry,ref={cache_ref(req, req.git.branch)},mode=max"]
    argv += _tags(req.tags)
    argv.append("--push" if req.push else "--load")
    return [Command((*argv, str(req.context)), "build")]


def _none(req: Request) -> list[Command]:
    argv = _build_base(req, buildx=False)
    argv += ["--build-arg", f"GIT_SHA={req.git.sha}", *_tags(req.tags)]
    if req.builder:
        argv.append("--load")
    return [Command((*argv, str(req.context)), "build"), *_pushes(req, list(req.tags))]


def choose_mode(buildx: bool, driver: str | None, containerd_store: bool) -> tuple[str, str]:
    """The default cache mode and why, from what the engine offers."""
    if not buildx:
        return "stages", "docker buildx is not available"
    if driver == "docker" and not containerd_store:
        return "stages", (
            "the buildx builder uses the docker driver without the containerd image store, "
            "which cannot export a registry cache"
        )
    if driver is None:
        return "stages", "the buildx builder could not be inspected"
    return "registry", f"buildx with the {driver} driver can export a registry cache"


def registry_host(image: str) -> str | None:
    """The registry host of ``image``, or None for the default registry."""
    first, sep, _ = image.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost"):
        return first
    return None


def registry_error(output: str, image: str) -> UserError | None:
    """A registry that refused or could not be reached, told as what to do; None otherwise."""
    host = registry_host(image)
    login = f"docker login {host}" if host else "docker login"
    where = host or "the default registry"
    for code, pattern in (
        ("401", r"\b401\b|unauthorized|authentication required|no basic auth credentials"),
        ("403", r"\b403\b|forbidden|requested access to the resource is denied"),
    ):
        if re.search(pattern, output, re.IGNORECASE):
            return UserError(f"the registry refused the push ({code}): run {login}")
    unreachable = (
        r"connection refused|no such host|i/o timeout|network is unreachable|"
        r"server gave HTTP response to HTTPS client|dial tcp"
    )
    if re.search(unreachable, output, re.IGNORECASE):
        return UserError(
            f"the registry {where} is unreachable (is it up, and is the address right?)"
        )
    return None
