"""The Mix projects under the root (the project, or every umbrella app), their apps, and what
mix.lock pins: what every other part of inspect starts from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from kubenative.errors import UserError
from kubenative.project.mix_exs import Dep, MixProject, parse_mix_exs
from kubenative.project.mix_lock import LockEntry, parse_mix_lock
from kubenative.project.model import App
from kubenative.project.reading import guard, read_text, rel_path


def _mix(path: Path, root: Path) -> MixProject:
    return parse_mix_exs(read_text(path, root), rel_path(path, root))


@dataclass(frozen=True)
class Layout:
    """The Mix projects under the root, their apps, and what mix.lock pins."""

    top: MixProject
    members: list[tuple[str, MixProject]]
    lock: tuple[LockEntry, ...]
    has_lock: bool
    locked: dict[str, LockEntry]
    all_deps: list[Dep]
    dep_names: set[str]
    apps: tuple[App, ...]


def read_layout(root: Path, warnings: list[str], problems: list[str]) -> Layout:
    top = _mix(root / "mix.exs", root)
    if top.module is not None and not top.has_project and not top.umbrella:
        raise UserError(
            f"mix.exs: module {top.module} has no `def project`; is this a Mix project?"
        )
    members = _members(root, top, problems)
    lock_path = root / "mix.lock"
    lock: tuple[LockEntry, ...] = ()
    if lock_path.is_file():
        lock = guard(problems, (), lambda: parse_mix_lock(read_text(lock_path, root), "mix.lock"))
    else:
        warnings.append(
            "mix.lock is missing: dependency versions are not pinned and the deps layer resolves "
            "them at build time; run `mix deps.get` and commit mix.lock"
        )
    locked = {entry.name: entry for entry in lock}
    all_deps = [dep for _, mix in members for dep in mix.deps]
    return Layout(
        top=top,
        members=members,
        lock=lock,
        has_lock=lock_path.is_file(),
        locked=locked,
        all_deps=all_deps,
        dep_names={dep.name for dep in all_deps} | set(locked),
        apps=_apps(members, locked),
    )


def _apps(members: list[tuple[str, MixProject]], locked: dict[str, LockEntry]) -> tuple[App, ...]:
    return tuple(
        App(
            name=mix.app or Path(path).name,
            path=path,
            phoenix=any(dep.name == "phoenix" for dep in mix.deps)
            # deps built by a helper kubenative cannot follow (livebook's
            # `deps: with_lock(target_deps(Mix.target()) ++ deps())`): the lock of a single
            # project says whether Phoenix is in it.
            or ("deps" in mix.unknown_keys and len(members) == 1 and "phoenix" in locked),
            phoenix_version=locked["phoenix"].version if "phoenix" in locked else None,
        )
        for path, mix in members
    )


def mix_files(members: list[tuple[str, MixProject]]) -> tuple[str, ...]:
    return tuple(sorted(["mix.exs"] + [f"{path}/mix.exs" for path, _ in members if path != "."]))


def _members(root: Path, top: MixProject, problems: list[str]) -> list[tuple[str, MixProject]]:
    """(path, mix.exs) for the project itself, or for every umbrella app, sorted by path."""
    if not top.umbrella:
        return [(".", top)]
    apps_dir = top.apps_path if top.apps_path else "apps"
    found = sorted(p.parent for p in (root / apps_dir).glob("*/mix.exs") if p.is_file())
    if not found:
        raise UserError(
            f"mix.exs declares an umbrella (apps_path) but {apps_dir}/ holds no apps "
            f"(no {apps_dir}/*/mix.exs); create one with `cd {apps_dir} && mix new NAME`"
        )
    # An app whose mix.exs does not parse is still an app of the umbrella (its folder names it).
    return [
        (
            rel_path(path, root),
            guard(problems, MixProject(None), partial(_mix, path / "mix.exs", root)),
        )
        for path in found
    ]


def project_name(top: MixProject, apps: tuple[App, ...], root: Path) -> str:
    if not top.umbrella:
        return apps[0].name
    module = top.module or ""
    module = re.sub(r"\.(MixProject|Mixfile|Project)$", "", module)
    module = re.sub(r"\.?Umbrella$", "", module)
    if not module:
        return root.name
    return _underscore(module)


def _underscore(module: str) -> str:
    """Macro.underscore for plain module names: ``KubeNative.Web`` → ``kube_native/web``."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", module)
    return words.replace(".", "_").lower()
