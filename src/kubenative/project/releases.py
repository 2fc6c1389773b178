"""Which release tool builds the project, which releases it defines, and how a release starts.

Rules, each with its reason:
- ``releases:`` in the root mix.exs means Mix releases, even when a ``rel/config.exs`` or a
  ``:distillery`` dependency is still there: projects that moved to ``mix release`` often keep
  Distillery for appups or forget the old config, and ``releases:`` is what ``mix release``
  reads. Distillery builds the release only when ``releases:`` is absent and Distillery is a
  dependency of the prod build (not ``only: :dev``/``:test``): a ``rel/config.exs`` without
  it is a leftover that a prod build cannot run.
- The project's own start script wins over the release script: a file in
  ``rel/overlays/bin/`` (Mix copies that folder into the release) named ``server`` (what
  ``mix phx.gen.release`` writes: it sets PHX_SERVER and starts the release) or one that starts
  the release (``start``/``foreground``) is the image's command.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kubenative.errors import UserError
from kubenative.project import config_files, reads
from kubenative.project.config_files import (
    distillery_environment,
    distillery_includes_erts,
    distillery_sets,
    normalize,
)
from kubenative.project.elixir_ast import Evaluator, Value, keyword_items
from kubenative.project.elixir_tree import call_arguments
from kubenative.project.mix_exs import Dep, MixProject
from kubenative.project.model import App, Release, ReleaseTool

Read = Callable[[Path], str]  # the text of a project file (errors as UserError)
# Shell, not Elixir: a start script runs `<release> start` (or Distillery's `foreground`).
_STARTS = re.compile(r"\b(start|foreground|start_iex|daemon)\b")
_NOT_STARTS = ("migrate", "rollback", "seed", "remote", "console", "eval")


def releases(
    root: Path,
    top: MixProject,
    apps: tuple[App, ...],
    deps: list[Dep],
    read: Read,
    warnings: list[str],
) -> tuple[ReleaseTool | None, tuple[Release, ...]]:
    """The release tool and the releases, the first being the default one."""
    rel_config = root / "rel" / "config.exs"
    deps = [*deps, *top.deps] if top.umbrella else deps  # an umbrella's own deps: its mix.exs
    distillery = [d for d in deps if d.name == "distillery"]
    built_with_distillery = any(d.in_prod for d in distillery)
    if top.releases is not None:
        if not top.releases:
            raise UserError("mix.exs: `releases:` is empty; name at least one release")
        if rel_config.is_file() or built_with_distillery:
            kept = "rel/config.exs" if rel_config.is_file() else "the :distillery dependency"
            warnings.append(
                f"mix.exs has `releases:`, so the image is built with `mix release`; {kept} "
                "is left alone (Distillery does not build this release)"
            )
        return "mix", tuple(
            Release(
                spec.name,
                tuple(app for app, _ in spec.applications),
                include_erts=spec.include_erts is not False,
                templates=(spec.rel_templates_path or "rel").rstrip("/"),
                overlays=spec.overlays,
            )
            for spec in top.releases
        )
    if rel_config.is_file() and not built_with_distillery:
        why = "only for dev/test" if distillery else "not a dependency"
        warnings.append(
            f"rel/config.exs is left from Distillery, but Distillery is {why}, so a prod build "
            "cannot run it: the image is built with `mix release`"
        )
    if built_with_distillery:
        names: tuple[str, ...] = ()
        default: str | None = None
        erts = True
        if rel_config.is_file():
            names, default = config_files.distillery_releases(read(rel_config), "rel/config.exs")
            erts = distillery_includes_erts(read(rel_config))
        else:
            warnings.append(
                "Distillery is a dependency but rel/config.exs is missing; "
                "run `mix distillery.init`"
            )
        if default in names:
            names = (default, *[n for n in names if n != default])
        environment = (
            distillery_environment(read(rel_config), "rel/config.exs")
            if rel_config.is_file()
            else "prod"
        )
        return "distillery", tuple(
            Release(n, include_erts=erts, environment=environment) for n in names
        )
    if top.umbrella:
        # `mix release` refuses an umbrella without `releases:`, but inspecting needs no
        # release: `init` names what to add (see `suggested_releases`).
        return "mix", ()
    return "mix", (Release(apps[0].name),)


def atom(name: str) -> str:
    """``name`` as an Elixir keyword key: lowercase letters, digits and ``_``, no leading
    digit (a folder such as ``my-shop`` or ``2024app`` is not a valid atom as written)."""
    word = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_") or "app"
    return f"app_{word}" if word[0].isdigit() else word


def suggested_releases(name: str, apps: tuple[App, ...]) -> str:
    """The ``releases:`` entry to add to an umbrella's root project: every web app (they pull
    in their in-umbrella dependencies), or every app when none is a web app."""
    shipped = [a for a in apps if a.phoenix] or list(apps)
    listed = ", ".join(f"{atom(a.name)}: :permanent" for a in shipped)
    return f"releases: [{atom(name)}: [applications: [{listed}]]]"


def start_script(root: Path, read: Read, templates: str = "rel") -> str | None:
    """The project's own start script in ``rel/overlays/bin/`` (a name inside the release's
    ``bin/``), or None. A release with ``rel_templates_path: "rel/server"`` (livebook) has its
    overlays in ``rel/server/overlays``: Mix copies the overlays folder of the templates path."""
    folder = root / templates / "overlays" / "bin"
    if not folder.is_dir():
        return None
    scripts = sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix not in (".bat", ".ps1")
    )
    if any(p.name == "server" for p in scripts):
        return "server"
    for script in scripts:
        if script.name.startswith(_NOT_STARTS):
            continue
        if _STARTS.search(read(script)):
            return script.name
    return None


# Distillery settings that name a file or folder of the project (relative to its root, where
# `mix distillery.release` runs): hook folders (and the singular `*_hook` of Distillery 1.x),
# vm.args, sys.config, the release commands' scripts, and the overlays' sources.
_DISTILLERY_PATHS = ("vm_args", "sys_config", "config")


@dataclass(frozen=True)
class Named:
    """A file or folder a release configuration names, and where it names it."""

    path: str  # relative to the project root
    where: str  # "rel/config.exs:6"
    what: str  # "pre_start_hooks", "overlay {:copy, ...}", "overlays"


def distillery_paths(source: str, rel: str = "rel/config.exs") -> list[Named]:
    """Every project path ``rel/config.exs`` names for the release it builds: hook
    folders, vm.args, sys.config, command scripts, the sources of ``:copy``/``:template``/
    ``:link`` overlays. Settings of another environment are left out (:func:`distillery_sets`);
    paths that start with a variable (``${RELEASE_ROOT_DIR}``) or are absolute point into the
    release or the system."""
    found: list[Named] = []
    evaluator = Evaluator()
    for node, _ in distillery_sets(source, rel):
        where = f"{rel}:{node.start_point[0] + 1}"
        for arg in call_arguments(node):
            for key, value in keyword_items(evaluator.evaluate(arg)):
                found.extend(_named(key, value, where))
    return [n for n in found if not n.path.startswith(("$", "/", "<%"))]


def _named(key: str, value: Value, where: str) -> list[Named]:
    if (key.endswith(("_hooks", "_hook")) or key in _DISTILLERY_PATHS) and isinstance(value, str):
        return [Named(normalize(".", value) or ".", where, key)]
    if key == "commands":
        return [
            Named(normalize(".", path), where, f"command {name}")
            for name, path in keyword_items(value)
            if isinstance(path, str)
        ]
    if key == "overlays" and isinstance(value, list):
        named = []
        for item in value:
            if isinstance(item, tuple) and len(item) >= 2 and isinstance(item[1], str):
                kind = str(item[0])
                if kind in ("copy", "template", "link"):
                    named.append(Named(normalize(".", item[1]), where, f"overlay {{:{kind}, ...}}"))
        return named
    return []


def mix_release_paths(releases: tuple[Release, ...]) -> list[Named]:
    """The folders `mix release` copies into each release: its ``overlays:`` and the
    ``overlays/`` folder of its templates path (``rel/overlays`` by default)."""
    found: list[Named] = []
    for release in releases:
        for folder in release.overlays:
            found.append(
                Named(normalize(".", folder), "mix.exs", f"release {release.name} overlays")
            )
    return found


def release_reads(
    root: Path,
    tool: ReleaseTool | None,
    releases: tuple[Release, ...],
    read: Read,
    warnings: list[str],
    covered: tuple[str, ...] = (),
) -> tuple[str, ...]:
    """The project paths the release configuration names outside ``rel/`` (which the
    releaser copies whole) and the source folders (``covered``): what the release step reads,
    copied right before it. A folder ends with "/". A named path the project lacks is a
    warning: the release step fails."""
    named: list[Named] = []
    config = root / "rel" / "config.exs"
    if tool == "distillery" and config.is_file():
        source = read(config)
        named.extend(distillery_paths(source))
        scan = reads.scan(source, "rel/config.exs", ".", script=True)
        named.extend(Named(r.path, r.where, r.call) for r in scan.reads if r.when == "build")
    if tool == "mix":
        named.extend(mix_release_paths(releases))
    found: set[str] = set()
    for item in named:
        path = reads.glob_folder(item.path) or "."
        if path == "rel" or path.startswith(("rel/", "..", "deps/", "_build/")) or path == ".":
            continue
        if any(path == folder or path.startswith(f"{folder}/") for folder in covered):
            continue
        target = root / path
        if target.is_dir():
            found.add(f"{path}/")
        elif target.is_file():
            found.add(path)
        else:
            message = (
                f"{item.where}: {item.what} names {item.path}, which is not in the project: the "
                "release step fails without it"
            )
            if message not in warnings:
                warnings.append(message)
    return tuple(sorted(found))
