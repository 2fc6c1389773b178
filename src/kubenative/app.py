"""One function per command. The core never prints and never exits: it returns results or raises
:class:`kubenative.errors.UserError`; ``kubenative.cli`` does the talking."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kubenative import options as options_file
from kubenative.docker.registry import Manifest
from kubenative.errors import UserError
from kubenative.files import (
    Planned,
    State,
    atomic_write,
    is_ours,
    plan_files,
    read_existing,
    stamp,
)
from kubenative.options import Options
from kubenative.plan import Plan, make_plan, secrets, versions_of
from kubenative.plan.versions import Versions
from kubenative.project.inspect import inspect_project
from kubenative.project.model import Project
from kubenative.render import render_all
from kubenative.render.bake import render_bake


@dataclass(frozen=True)
class Generated:
    root: Path
    project: Project
    options: Options
    plan: Plan
    files: list[Planned]
    more_warnings: tuple[str, ...] = ()  # from the Kubernetes plan

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.plan.warnings + self.more_warnings

    @property
    def inspected(self) -> Inspected:
        """What `inspect` says with the same options: the versions this plan is built on."""
        return _inspected(self.project, self.plan.versions)


@dataclass
class InitResult:
    generated: Generated
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[Planned] = field(
        default_factory=list
    )  # edited by hand or not ours: kept without --force


@dataclass(frozen=True)
class Inspected:
    """What `inspect` prints: the project's facts and the versions solved from them (the same
    object `init` builds on), or why they cannot be solved."""

    project: Project
    versions: Versions | None
    problem: str | None = None

    @property
    def warnings(self) -> tuple[str, ...]:
        solved = self.versions.warnings if self.versions else ()
        return self.project.warnings + tuple(w for w in solved if w not in self.project.warnings)

    @property
    def problems(self) -> tuple[str, ...]:
        """What keeps `init` from writing a Dockerfile that builds: the project's problems and
        hard version constraints no published image meets together."""
        return self.project.problems + ((self.problem,) if self.problem else ())

    def to_json(self) -> dict[str, Any]:
        """The `inspect --json` object: the project's keys, with the versions after `assets`."""
        facts = self.project.to_json()
        chosen = self.versions
        solved: dict[str, Any] = {
            "elixir": chosen.elixir.value if chosen else None,
            "otp": chosen.otp.value if chosen else None,
            "node": chosen.node.value if chosen and chosen.node else None,
            "versions_from": {
                "elixir": chosen.elixir.source if chosen else None,
                "otp": chosen.otp.source if chosen else None,
                "node": chosen.node.source if chosen and chosen.node else None,
            },
            # Why a newer version was not chosen: one reason per lock entry.
            "versions_capped": {
                "elixir": list(chosen.elixir.capped) if chosen else [],
                "otp": list(chosen.otp.capped) if chosen else [],
                "node": list(chosen.node.capped) if chosen and chosen.node else [],
            },
            "versions": chosen.to_json() if chosen else {"problem": self.problem},
        }
        result: dict[str, Any] = {}
        for key, value in facts.items():
            if key == "warnings":
                value = list(self.warnings)
            elif key == "problems":
                value = list(self.problems)
            result[key] = value
            if key == "assets":
                result.update(solved)
        return result


def inspect(path: str, app_folder: str | None = None) -> Inspected:
    """The project at ``path`` and its versions, solved with the options `init` saved, with the
    plan's word on its build secrets (what the build does with them and the way out for its
    Elixir), which `init` says too. Versions no published image meets are one more problem."""
    opts = options_file.load(Path(path))
    project = inspect_project(path, app_folder or opts.app)
    try:
        return _inspected(project, versions_of(project, opts))
    except UserError as err:
        return _inspected(project, None, str(err))


def _inspected(
    project: Project, versions: Versions | None, problem: str | None = None
) -> Inspected:
    extra = tuple(secrets.warnings(project, versions.elixir.value if versions else ""))
    if extra:
        project = replace(project, warnings=project.warnings + extra)
    return Inspected(project, versions, problem)


def generate(
    path: str, overrides: dict[str, Any] | None = None, command: str = "init"
) -> Generated:
    """The files of ``command``: `k8s` plans the manifests only (init owns the Dockerfile), and
    so does every command once `k8s` saved ``manifests_only`` (the project's own Dockerfile)."""
    # The saved options come first: a poncho app (--app) decides what is inspected.
    opts = options_file.load(Path(path)).merged(overrides or {})
    project = inspect_project(path, opts.app)
    only_manifests = command == "k8s" or opts.manifests_only
    more: tuple[str, ...] = ()
    if only_manifests:
        # No Dockerfile is written: what would stop kubenative's from building is said, and
        # the manifests (which need the release's name, ports and boot reads) are written.
        more = tuple(
            f"{problem} (kubenative's Dockerfile would not build; the manifests are written from "
            "the rest of the project)"
            for problem in project.problems
        )
    else:
        refuse_problems(project)
    root = Path(project.root)
    plan = make_plan(project, opts)
    outputs = {} if only_manifests else render_all(plan)
    if opts.k8s:
        from kubenative import k8s
        from kubenative.k8s.image import image_warnings

        manifests, kube = k8s.outputs(project, plan, opts)
        outputs.update(manifests)
        more += kube.warnings
        if only_manifests:
            more += image_warnings(root, plan, opts)
    if opts.bake and not only_manifests:
        outputs["docker-bake.hcl"] = stamp(render_bake(plan))
    return Generated(root, project, opts, plan, plan_files(root, outputs), more)


def refuse_problems(project: Project) -> None:
    """No files from a project with a problem: the Dockerfile would not build (a config or lock
    that does not parse, an import of a file that is not there...). `inspect` lists them all;
    what has a safe way through (an ignored secret config: a secret mount) is a warning."""
    if not project.problems:
        return
    first, more = project.problems[0], len(project.problems) - 1
    also = f" (and {more} more: `kubenative inspect` lists them)" if more else ""
    raise UserError(f"{first}{also}")


def init(
    path: str, overrides: dict[str, Any], *, force: bool = False, command: str = "init"
) -> InitResult:
    """Write the generated files: new or kubenative's own are (re)written; a hand-edited file
    is only overwritten with ``force``. Nothing is written when any file is refused. `k8s`
    writes the manifests only and remembers whether the Dockerfile is kubenative's (``check``
    then covers it) or the project's own; `init` takes the Dockerfile over."""
    overrides = {**overrides, "manifests_only": False}
    if command == "k8s":
        dockerfile = options_file.load(Path(path)).merged(overrides).dockerfile
        existing = read_existing(Path(path) / dockerfile)
        overrides["manifests_only"] = existing is None or not is_ours(existing)
    generated = generate(path, overrides, command)
    result = InitResult(generated)
    for planned in generated.files:
        if planned.state.kept and not force:
            result.refused.append(planned)
    if result.refused:
        return result
    if generated.options.k8s:
        from kubenative.k8s.gitignore import ignore_secrets

        if ignore_secrets(generated.root, generated.options.k8s_dir):
            # the .dockerignore is translated from the .gitignore: generate it again
            generated = replace(generate(path, overrides, command), options=generated.options)
            result.generated = generated
    for planned in generated.files:
        if planned.state is State.CURRENT:
            result.unchanged.append(planned.path)
        else:
            target = generated.root / planned.path
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise UserError(f"{target.parent}: cannot create ({err.strerror})") from err
            atomic_write(target, planned.text)
            result.written.append(planned.path)
    saved = options_file.dump(generated.options)
    options_path = generated.root / options_file.OPTIONS_FILE
    if generated.options.non_defaults() or options_path.exists():
        if options_path.exists() and options_path.read_text(encoding="utf-8") == saved:
            return result
        atomic_write(options_path, saved)
        result.written.append(options_file.OPTIONS_FILE)
    return result


def check(path: str) -> Generated:
    """What `init` would write now from the project and the saved options, against the disk."""
    return generate(path)


# image reference → what the registry serves now: its manifest, or only its digest
Resolver = Callable[[str], "Manifest | str"]


@dataclass(frozen=True)
class Resolved:
    image: str  # the reference as written in the plan, without a digest
    pinned: str | None  # the digest saved in the options file, if any
    current: str | None  # the digest the registry serves now (None: not asked)
    # what `current` is: an image index (a manifest list: one image per platform, pinned as
    # a whole, so every platform keeps its own image) or one image; None: not known
    manifest: Manifest | None = None
    missing: tuple[str, ...] = ()  # target platforms (init --platform) the pin has no image of

    @property
    def moved(self) -> bool:
        return self.pinned is not None and self.current is not None and self.pinned != self.current

    @property
    def kind(self) -> str:
        """``manifest list: linux/amd64, linux/arm64`` or ``one image, not a manifest list``."""
        if self.manifest is None:
            return ""
        if self.manifest.is_index:
            return f"manifest list: {', '.join(self.manifest.platforms) or 'no platforms'}"
        return "one image, not a manifest list"


def _resolved(
    image: str, pinned: str | None, answer: Manifest | str | None, targets: tuple[str, ...]
) -> Resolved:
    """``answer`` (a manifest or a digest) for ``image``, with the target platforms it lacks:
    an index without one of them, or one image when several are built."""
    if not isinstance(answer, Manifest):
        return Resolved(image, pinned, answer)
    missing: tuple[str, ...] = ()
    if answer.is_index:
        have = set(answer.platforms) | {p.removesuffix("/v8") for p in answer.platforms}
        missing = tuple(p for p in targets if p not in have)
    elif len(targets) > 1:
        missing = targets
    return Resolved(image, pinned, answer.digest, answer, missing)


def _base_images(generated: Generated) -> list[tuple[str, tuple[str, ...]]]:
    """Every FROM image of the plan as written, before pins apply, with the target platforms
    it must have an image of (the Node image runs on the build machine's platform only);
    digest references (already pinned by hand) are left out."""
    unpinned = make_plan(generated.project, replace(generated.options, pins=()))
    targets = generated.options.platform_list
    return [
        (image, () if arg == "NODE_IMAGE" else targets)
        for arg, image, _ in unpinned.images
        if "@" not in image
    ]


def _engine_index() -> str | None:
    """The default index the Docker engine uses (``docker info``), None when it cannot tell."""
    from kubenative.docker.registry import engine_index

    return engine_index()


def _registry_resolver() -> Resolver:
    from kubenative.docker.registry import Client

    return Client.from_environment(index_lookup=_engine_index).manifest


def pin(
    path: str, resolve: Resolver | None = None, *, force: bool = False
) -> tuple[list[Resolved], InitResult]:
    """Resolve every base image to its digest, save the pins (replacing stale ones) and
    regenerate the files as `init` would; nothing is written when a file is refused."""
    resolve = resolve or _registry_resolver()
    generated = generate(path)
    saved = dict(generated.options.pins)
    resolved = [
        _resolved(image, saved.get(image), resolve(image), targets)
        for image, targets in _base_images(generated)
    ]
    pins = tuple(sorted((r.image, r.current) for r in resolved if r.current))
    return resolved, init(path, {"pins": pins}, force=force)


def pin_check(path: str, resolve: Resolver | None = None) -> list[Resolved]:
    """Each base image with its saved pin and, for pinned ones, the digest served now."""
    resolve = resolve or _registry_resolver()
    generated = generate(path)
    saved = dict(generated.options.pins)
    return [
        _resolved(image, saved.get(image), resolve(image) if image in saved else None, targets)
        for image, targets in _base_images(generated)
    ]
