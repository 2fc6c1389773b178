"""What the image must hold beyond the usual folders: the files the project reads while it is
built and when it boots, derived from its code (see docs/design-copies.md for why kubenative
derives explicit copies rather than copying the whole build context).

- **mix.exs reads** (``@version File.read!("VERSION")``): Mix loads the mix files before
  ``deps.get``, so these are copied with them, in the deps stage.
- **compile-time config reads** (``Code.eval_file("helpers.exs")``, ``File.read!`` in
  config.exs): config is read before ``deps.compile``, so these join the compile-time config.
- **source folders**: ``elixirc_paths``/``erlc_paths`` for prod, beyond ``lib``/``src``
  (``["lib", "generated/lib"]``, an umbrella child's ``"../../lib"``).
- **compile-time reads** in module bodies (``@external_resource``, ``File.read!`` in an
  attribute, ``Path.wildcard`` in a ``for``): copied into the releaser before ``mix compile``.
- **boot reads**: a relative path read in a function body or in runtime.exs is read from the
  release's folder (``/app``) at boot; the file is copied there in the runtime image.

Reads into ``deps``/``_build``, absolute paths and ``Application.app_dir`` paths need nothing.
A build-time read kubenative cannot resolve, or that names a file the project lacks, is a
warning with its file and line. Run-time reads with a computed path (an upload, a parameter)
are the app's business and are not reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from kubenative import ignore
from kubenative.project import env_vars, fillers, reads
from kubenative.project.config_files import normalize
from kubenative.project.elixir_parse import parse_source
from kubenative.project.elixir_tree import call_arguments, call_name, walk
from kubenative.project.mix_exs import MixProject

SOURCE_DIRS = ("c_src", "include", "lib", "native", "priv", "src")
BUILT = ("deps", "_build")
# Source the build compiles into the release (Elixir, Erlang and its leex/yecc grammars, NIFs'
# C and Rust): the release holds its compiled form, so the runtime never gets the file, even
# when a function reads it by a relative path at boot. Everything else a function reads at
# boot is data the release needs beside it and is copied, wherever it lives (lib/template.svg,
# test/fixtures/x.json): an .exs or an .eex read at boot is a script or template the release
# evaluates then (Code.eval_file, EEx.eval_file), never compiled in; templates that are
# compiled in (EEx.function_from_file, Phoenix views, embed_templates) are read at build time.
COMPILED = (".ex", ".erl", ".hrl", ".yrl", ".xrl", ".c", ".cc", ".cpp", ".h", ".rs")
# Substrings a source file must contain to be worth parsing for reads (a cheap filter only;
# the reading itself is done on the syntax tree).
HINTS: tuple[str, ...] = ("File.", "Code.", "Path.", "@external_resource", "System.", "EEx.")
HINTS += (":file.", "NimblePublisher", "YamlElixir.", "Toml.", ":yamerl", "embed_templates")
# A name a Dockerfile ARG can carry; MIX_ENV and LANG are set by the image itself.
ARG_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
SET_BY_THE_IMAGE = frozenset({"MIX_ENV", "LANG", "HOME", "PATH"})
GIT_WAY = (
    "the .git folder is never in the build context (and git is not in the builder); pass the "
    "value in instead: read it in mix.exs from an environment variable (`System.get_env("
    '"APP_REVISION")`), which kubenative declares as a build argument (`kubenative build '
    "--build-arg APP_REVISION=$(git rev-parse --short HEAD)`), or from a file written before "
    "the build (`git describe --always > VERSION`), which kubenative copies"
)

BUILD_TOOL_ENV = re.compile(r"MIX_(ESBUILD|TAILWIND|BUN|SASS|DART_SASS)_(PATH|VERSION)")


@dataclass(frozen=True)
class Copies:
    source_dirs: tuple[str, ...]  # top-level-or-nested folders compiled for prod
    mix_reads: tuple[str, ...]  # files (folders end in "/") the mix files read
    config_reads: tuple[str, ...]  # files the compile-time config reads or evaluates
    compile_reads: tuple[str, ...]  # files module bodies read while compiling
    boot_reads: tuple[str, ...]  # files read by relative path when the release boots
    mix_env: tuple[str, ...] = ()  # environment variables the mix files read: build arguments
    boot_writes: tuple[reads.Write, ...] = ()  # writes in function bodies (the k8s volumes)
    path_deps: tuple[str, ...] = ()  # path dependencies inside the project (folders)
    release_reads: tuple[str, ...] = ()  # files a release step function of mix.exs reads


def find(
    root: Path,
    top: MixProject,
    members: list[tuple[str, MixProject]],
    compile_config: tuple[str, ...],
    late_config: tuple[str, ...],
    read_text: Callable[[Path], str],
    warnings: list[str],
    gitignored: tuple[str, ...] = (),
    explained: frozenset[str] = frozenset(),
) -> Copies:
    """Every extra file the image needs, from what the project's code reads. ``gitignored``:
    the project's .gitignore rules as dockerignore patterns (a file they exclude is not in a
    fresh checkout, so it is not copied). ``explained``: the ``file:line`` of build-time
    environment reads another warning already names (the endpoint's frozen port)."""
    mix_files = [(".", top)] + [(path, mix) for path, mix in members if path != "."]
    notes = _Notes(root, warnings, gitignored, [(path, mix.aliases) for path, mix in mix_files])
    mix_reads: set[str] = set()
    step_reads: set[str] = set()
    mix_env: set[str] = set()
    for path, mix in mix_files:
        rel = _mix_file(path)
        source = read_text(root / rel)
        found = reads.scan(source, rel, path, script=True)
        # A release step of the project's own (`steps: [:assemble, &copy_extra/1]`) reads
        # while `mix release` runs, not while Mix loads the project: copied before it.
        lines = _step_lines(source, rel, mix)
        at_release = [r for r in found.reads if int(r.where.rsplit(":", 1)[1]) in lines]
        step_reads |= notes.build_reads(reads.Scan(reads=at_release), covered=())
        found.reads = [r for r in found.reads if r not in at_release]
        mix_reads |= notes.build_reads(found, covered=())
        notes.git(found, rel)
        names = {e.name for e in found.env if e.name and ARG_NAME.fullmatch(e.name)}
        mix_env |= names
        # A build argument is kept in the image's metadata (`docker history` shows its value),
        # so a secret read while mix.exs loads (firezone's `cookie: System.get_env("ERL_COOKIE")`
        # in `releases:`) must not travel that way.
        secrets = sorted(n for n in names if env_vars.is_secret(n, None) and not n.endswith("_URL"))
        if secrets:
            notes.warn(
                f"{rel} reads {', '.join(secrets)} while the image is built: as a build "
                "argument its value stays in the image's history; give a release cookie at "
                "boot instead (RELEASE_COOKIE, from the Kubernetes Secret), and read other "
                "secrets in config/runtime.exs"
            )

    path_deps = _path_deps(root, members, notes)
    mix_reads |= {f"{folder}/" for folder in path_deps}
    source_dirs = _source_dirs(root, top, members, notes)
    covered = (*source_dirs, *compile_config, *late_config, "mix.exs", *mix_reads)

    config_reads: set[str] = set()
    boot_reads: set[str] = set()
    pending = list(compile_config)
    seen: set[str] = set()
    while pending:
        rel = pending.pop()
        if rel in seen or not (root / rel).is_file():
            continue
        seen.add(rel)
        found = reads.scan(read_text(root / rel), rel, ".", script=True)
        notes.env(found, rel, required=_required_env(read_text(root / rel), rel), skip=explained)
        notes.git(found, rel)
        # Config files are listed one by one (other readers go through every config file), so
        # a folder a config reads stands for the files in it.
        new = set(_files_of(root, notes.build_reads(found, covered=compile_config, config=rel)))
        # Boot-time config that a read here reaches (a folder or glob over config/) is still
        # boot-time config: Mix evaluates runtime.exs and releases.exs when the release boots,
        # never while it compiles or assembles it (mbta/dotcom's config.exs imports every
        # `config/{deps,dotcom}/*.exs`). It is copied last, as always; only an import_config
        # that names it would make it build-time config (then compile_config lists it).
        new -= set(late_config) - set(compile_config)
        if any(item.when == "build" for item in found.unresolved):
            new |= _config_folder(root, rel, late_config, gitignored)
        config_reads |= new
        pending.extend(p for p in new if p.endswith(".exs"))
    for rel in late_config:
        found = reads.scan(read_text(root / rel), rel, ".", script=True)
        boot_reads |= notes.late_reads(found)

    compile_reads: set[str] = set()
    boot_writes: list[reads.Write] = []
    for app_path, folder in _code_folders(source_dirs, members):
        for file in _elixir_files(root / folder):
            rel = file.relative_to(root).as_posix()
            source = read_text(file)
            if not any(hint in source for hint in HINTS):
                continue
            found = reads.scan(source, rel, app_path, script=False)
            notes.git(found, rel)
            compile_reads |= notes.build_reads(found, covered=covered)
            if _mix_task(rel, source):
                continue  # Mix is not in a release: a task's reads and writes never happen there
            boot_reads |= notes.boot_reads(found)
            boot_writes.extend(found.writes)
    notes.ignored_boot_reads(boot_writes)
    return Copies(
        source_dirs=source_dirs,
        mix_reads=_outermost(mix_reads),
        config_reads=_outermost(config_reads - set(compile_config)),
        compile_reads=_outermost(compile_reads - config_reads - mix_reads),
        boot_reads=_outermost(boot_reads),
        mix_env=tuple(sorted(mix_env - SET_BY_THE_IMAGE)),
        boot_writes=tuple(boot_writes),
        path_deps=tuple(sorted(path_deps)),
        release_reads=_outermost(step_reads),
    )


def _source_dirs(
    root: Path, top: MixProject, members: list[tuple[str, MixProject]], notes: _Notes
) -> tuple[str, ...]:
    """The folders the release is compiled from: the usual ones that exist, plus every
    ``elixirc_paths``/``erlc_paths`` entry (and ``erlc_include_path``) for prod."""
    found: list[str] = []
    if top.umbrella:
        found.append(top.apps_path or "apps")
    else:
        found.extend(name for name in SOURCE_DIRS if (root / name).is_dir())
    for path, mix in members:
        for folder in _declared(mix):
            # normalize() folds a leading `..` away, so whether the folder leaves the project
            # is asked before folding.
            if folder.startswith("/") or reads.escapes(path, folder):
                notes.warn(
                    f"{_mix_file(path)}: compiles {folder}, which is outside the project "
                    "(the build context); move it inside"
                )
                continue
            target = normalize(path, folder)
            if (root / target).is_dir():
                found.append(target)
    return _outermost(found)


OUTSIDE_PATH_DEP = "is outside the project (the Docker context)"


def _path_deps(root: Path, members: list[tuple[str, MixProject]], notes: _Notes) -> set[str]:
    """The folders of path dependencies inside the project (``{:dns_cluster, path:
    "vendor/dns_cluster"}``): `mix deps.get` loads their mix.exs and `mix deps.compile`
    compiles them, so each is copied whole with the mix files. Umbrella siblings are apps,
    copied as such; a dependency only dev or test uses is not fetched for prod."""
    apps = {path for path, _ in members}
    found: set[str] = set()
    for path, mix in members:
        for dep in mix.deps:
            if dep.path is None or dep.in_umbrella or (dep.only and "prod" not in dep.only):
                continue
            where = _mix_file(path)
            if dep.path.startswith("/") or reads.escapes(path, dep.path):
                notes.warn(
                    f"{where}: path dependency {dep.name} ({dep.path}) {OUTSIDE_PATH_DEP}: "
                    "the image cannot hold it; move it inside, or build from the folder that "
                    "holds both with --app (a poncho layout)"
                )
                continue
            target = normalize(path, dep.path)
            if target in apps:
                continue
            if not (root / target / "mix.exs").is_file():
                notes.warn(
                    f"{where}: path dependency {dep.name} ({dep.path}) has no mix.exs in the "
                    "project: `mix deps.get` fails without it"
                )
                continue
            found.add(target)
    return found


def _step_lines(source: str, rel: str, mix: MixProject) -> set[int]:
    """The lines of the mix.exs functions its releases name as steps (``&copy_extra/1``)."""
    names = {
        step[1:].split("/", 1)[0].rsplit(".", 1)[-1]
        for spec in mix.releases or ()
        for step in spec.steps
        if step.startswith("&")
    }
    lines: set[int] = set()
    if not names:
        return lines
    for node in walk(parse_source(source, rel)):
        if call_name(node) in ("def", "defp"):
            args = call_arguments(node)
            head = args[0] if args else None
            name = call_name(head) if head is not None and head.type == "call" else None
            if name in names:
                lines.update(range(node.start_point[0] + 1, node.end_point[0] + 2))
    return lines


def _declared(mix: MixProject) -> Iterator[str]:
    yield from mix.elixirc_paths or ()
    yield from mix.erlc_paths or ()
    if mix.erlc_include_path:
        yield mix.erlc_include_path


def _mix_file(path: str) -> str:
    return "mix.exs" if path == "." else f"{path}/mix.exs"


def _outermost(paths: Iterable[str]) -> tuple[str, ...]:
    """The paths without those inside another one ("lib" covers "lib/x"), sorted."""
    unique = sorted(set(paths))
    return tuple(p for p in unique if not any(_inside(p, other) for other in unique if other != p))


def _inside(path: str, folder: str) -> bool:
    folder = folder.rstrip("/")
    return path.rstrip("/") == folder or path.startswith(folder + "/")


def _code_folders(
    source_dirs: tuple[str, ...], members: list[tuple[str, MixProject]]
) -> Iterator[tuple[str, str]]:
    """(the app folder Mix compiles from, a folder of its Elixir code) for every app."""
    for path, mix in members:
        for folder in mix.elixirc_paths or ("lib",):
            target = normalize(path, folder)
            if any(_inside(target, d) for d in source_dirs):
                yield path, target


def _files_of(root: Path, paths: Iterable[str]) -> Iterator[str]:
    """``paths`` with every folder (``x/``) replaced by the files under it."""
    for path in paths:
        if path.endswith("/"):
            yield from sorted(
                p.relative_to(root).as_posix() for p in (root / path).rglob("*") if p.is_file()
            )
        else:
            yield path


def _source_at_boot(target: str, code: list[str], data: list[str]) -> str:
    """Why a boot read of compiled source gets nothing (or only the data beside it)."""
    if code == [target]:
        what = "it is source, which the release holds compiled, and the runtime never holds source"
    else:
        kept = "its data files are copied" if data else "nothing in it is copied"
        what = (
            f"{kept}, not its {len(code)} source file{'s' if len(code) > 1 else ''} "
            f"({code[0]}{', ...' if len(code) > 1 else ''}): the release holds them compiled, "
            "and the runtime never holds source"
        )
    return (
        f"{what}; to read source at run time, copy it under priv/ and read it with "
        'Application.app_dir(:your_app, "priv/...")'
    )


def _mix_task(rel: str, source: str) -> bool:
    """A Mix task's file: under ``lib/mix/``, or defining a ``Mix.Tasks.*`` module."""
    return "/lib/mix/" in f"/{rel}" or "defmodule Mix.Tasks." in source


def _elixir_files(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from sorted(p for p in folder.rglob("*.ex") if p.is_file())


def _config_folder(
    root: Path, rel: str, late_config: tuple[str, ...], gitignored: tuple[str, ...]
) -> set[str]:
    """The safe copy for a config read kubenative cannot resolve: every file of the config
    file's folder, less boot-time config (copied last), secrets and what .gitignore excludes."""
    folder = rel.rsplit("/", 1)[0] if "/" in rel else "."
    found: set[str] = set()
    for path in (root / folder).rglob("*"):
        name = path.relative_to(root).as_posix()
        secret = path.name.endswith(".secret.exs") or path.name.startswith(".env")
        kept = path.is_file() and name not in late_config and not secret
        if kept and not ignore.excluded(name, gitignored):
            found.add(name)
    return found


class _Notes:
    """Turns reads into paths to copy, and the rest into warnings."""

    def __init__(
        self,
        root: Path,
        warnings: list[str],
        gitignored: tuple[str, ...],
        aliases: list[tuple[str, dict[str, tuple[str, ...]]]],
    ) -> None:
        self.root = root
        self.warnings = warnings
        self.gitignored = gitignored
        self.aliases = aliases
        # Boot reads of gitignored folders, warned about unless the app writes there itself.
        self._boot_ignored: list[tuple[reads.Read, str]] = []

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def build_reads(
        self, found: reads.Scan, covered: Iterable[str], config: str | None = None
    ) -> set[str]:
        """``config``: the compile-time config file scanned; a read there that kubenative
        cannot resolve gets its whole folder copied (``_config_folder``) rather than a build
        that fails when Mix evaluates the config."""
        covered = tuple(covered)
        result: set[str] = set()
        for item in found.unresolved:
            if item.when == "build" and config is not None:
                folder = config.rsplit("/", 1)[0] if "/" in config else "."
                self.warn(
                    f"{item.where}: `{item.source}` reads a path kubenative cannot work out "
                    f"while the image is built; the whole {folder}/ folder (less boot-time "
                    "config and secrets) is copied with the compile-time config so the build "
                    "finds it: give the path as a literal (or __DIR__-relative) to copy only "
                    "that file"
                )
            elif item.when == "build":
                self.warn(
                    f"{item.where}: `{item.source}` reads a path kubenative cannot work out "
                    "while the image is built; if it is a project file, give it as a literal "
                    "path (or __DIR__-relative) so the Dockerfile copies it"
                )
        for read in found.reads:
            if read.when != "build":
                continue
            for target in self._targets(read):
                if not any(_inside(target, c) for c in covered):
                    result.add(target)
        return result

    def boot_reads(self, found: reads.Scan) -> set[str]:
        """What the runtime gets for the boot reads of one file: the data they read (any
        file), never compiled source (``COMPILED``), which stays out with one warning; a folder
        that holds both gives its data files one by one."""
        result: set[str] = set()
        for read in found.reads:
            if read.when != "boot":
                continue
            for target in self._targets(read, quiet=True):
                files = list(_files_of(self.root, [target]))
                code = [f for f in files if f.endswith(COMPILED)]
                if not code:
                    result.add(target)
                    continue
                data = [f for f in files if not f.endswith(COMPILED)]
                result.update(f for f in data if not ignore.excluded(f, self.gitignored))
                self.warn(
                    f"{read.where}: {read.call} reads {target} at boot: "
                    + _source_at_boot(target, code, data)
                )
        return result

    def late_reads(self, found: reads.Scan) -> set[str]:
        """Reads in runtime.exs/releases.exs: they run at boot, from the release's folder."""
        result: set[str] = set()
        for item in found.unresolved:
            self.warn(
                f"{item.where}: `{item.source}` reads a path kubenative cannot work out at "
                "boot; give it as a literal path relative to the project root so the image "
                "holds it"
            )
        for read in found.reads:
            if read.rooted:
                self.warn(
                    f"{read.where}: {read.call} reads {read.path} relative to __DIR__, which at "
                    "boot is the release's releases/VERSION folder, not config/: give the path "
                    "relative to the project root (the release's working directory) instead"
                )
            else:
                result.update(self._targets(read))
        return result

    def env(
        self,
        found: reads.Scan,
        rel: str,
        required: Iterable[str] = (),
        skip: frozenset[str] = frozenset(),
    ) -> None:
        # MIX_ESBUILD_PATH and friends point Mix's asset tools at a binary while the assets
        # are built (the packages' documented convention): build-time is what they are for,
        # and kubenative passes them as build arguments (see kubenative.plan.deps).
        used = [
            e
            for e in found.env
            if not (e.name and BUILD_TOOL_ENV.fullmatch(e.name)) and e.where not in skip
        ]
        if not used:
            return
        names = ", ".join(
            f"{e.name or 'a computed name'} (line {e.where.rsplit(':', 1)[1]})" for e in used
        )
        # `System.fetch_env!("X")` or `System.get_env("X") || raise` in compile-time config (the
        # prod.secret.exs Phoenix 1.4/1.5 generated) does not just bake a value in: Mix
        # evaluates the config for `mix compile` and `mix release`, so the build itself stops.
        stops = [n for n in dict.fromkeys(required) if any(e.name == n for e in used)]
        fails = (
            f"; {', '.join(stops)} {'is' if len(stops) == 1 else 'are'} required there "
            "(`fetch_env!`, `|| raise`, or no default where nil raises), so the image build fails"
            if stops
            else ""
        )
        self.warn(
            f"{rel} reads environment variables while the release is built: {names}; their "
            "values at build time are baked into the release (and are unset in the Docker "
            f"build{fails}): read them in config/runtime.exs, which runs at boot"
        )

    def git(self, found: reads.Scan, rel: str) -> None:
        for where in found.git:
            self.warn(f"{where}: reads git history while the image is built, but {GIT_WAY}")

    def _targets(self, read: reads.Read, quiet: bool = False) -> list[str]:
        """The paths to copy for one read: the file or folder, a glob's fixed folder (or its
        matches when it has none); nothing for build output or a missing file. ``quiet``
        (boot reads): only a read of what .gitignore excludes is a warning."""
        alternatives = reads.expand_braces(read.path)
        if len(alternatives) > 1:  # `{a,b}`: each alternative is a read of its own
            return sorted(
                {t for alt in alternatives for t in self._targets(replace(read, path=alt), quiet)}
            )
        path = read.path
        if path.startswith(".."):
            if not quiet:
                self.warn(
                    f"{read.where}: {read.call} reads {path}, outside the project (the build "
                    "context): the image cannot hold it; move it inside the project"
                )
            return []
        if self._built(path):
            return []
        folder = reads.glob_folder(path)
        whole = folder == path or (folder and not _selective(path, folder))
        if self._ignored(read, folder if whole else path, quiet):
            return []
        if folder != path and not whole:
            return sorted(
                p.relative_to(self.root).as_posix() for p in self.root.glob(path) if p.is_file()
            )
        target = self.root / folder
        if target.is_dir():
            return [folder + "/"]
        if target.is_file():
            return [folder]
        if not quiet:
            self.warn(
                f"{read.where}: {read.call} reads {path}, which is not in the project: the "
                "build fails unless it is created before"
            )
        return []

    def _built(self, path: str) -> bool:
        """A path into a Mix project's own ``deps``/``_build`` (the project's, an umbrella
        app's): the image makes those. A folder of that name elsewhere is the project's
        (mbta/dotcom's ``config/deps/*.exs`` is config)."""
        parts = path.split("/")
        return any(
            part in BUILT and (self.root.joinpath(*parts[:at], "mix.exs").is_file() or at == 0)
            for at, part in enumerate(parts)
        )

    def _ignored(self, read: reads.Read, path: str, quiet: bool) -> bool:
        """Whether .gitignore excludes ``path``: a fresh checkout (and the Docker context,
        which follows .gitignore) does not have it, so kubenative does not copy it (the COPY
        would fail there) and says what fills it, when the project has a command for that."""
        if not path or not (
            ignore.excluded(path, self.gitignored) or ignore.excluded(f"{path}/", self.gitignored)
        ):
            return False
        if quiet:
            self._boot_ignored.append((read, path))
        else:
            self.warn(self._ignored_message(read, path))
        return True

    def _ignored_message(self, read: reads.Read, path: str) -> str:
        command = fillers.filler(self.root, path, self.aliases)
        when = "when the release boots" if read.when == "boot" else "while the image is built"
        fix = (
            f"{command} fills it: run it before the build and let {path} into the Docker "
            "context (a `!` line in .dockerignore), or commit it"
            if command
            else "commit it, or make the build create it"
        )
        return (
            f"{read.where}: {read.call} reads {read.path} {when}, but .gitignore excludes "
            f"{path}: a fresh checkout does not have it, so kubenative does not copy it and "
            f"the release is built without it; {fix}"
        )

    def ignored_boot_reads(self, writes: Iterable[reads.Write]) -> None:
        """Warn about the boot reads of gitignored paths, but not of a folder the app writes
        itself when it runs (uploads, a cache): that is its own data, not content."""
        written = {w.folder for w in writes if w.folder}
        for read, path in self._boot_ignored:
            if not any(_inside(path, folder) or _inside(folder, path) for folder in written):
                self.warn(self._ignored_message(read, path))


def _required_env(source: str, rel: str) -> list[str]:
    """The variables a config file requires (``fetch_env!``, ``|| raise``) on a prod build."""
    return [v.name for v in env_vars.read(source, rel) if v.required]


def _selective(path: str, folder: str) -> bool:
    """A glob that names fixed folders or files below a wildcard (`apps/*/config/config.exs`,
    the umbrella config import blockscout writes as `Path.wildcard`) picks files across the
    tree rather than reading a folder: its matches are copied, not all of `apps/`. A glob whose
    wildcards are all at the end (`priv/data/**/*.json`) reads the folder, which is copied whole
    so a new file needs no regeneration."""
    rest = path[len(folder) :].strip("/").split("/")
    return any(not any(c in part for c in reads.GLOB_CHARS) for part in rest[1:-1]) or (
        len(rest) > 1 and not any(c in rest[-1] for c in reads.GLOB_CHARS)
    )
