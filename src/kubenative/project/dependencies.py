"""What the project's dependencies bring: where they are fetched from (git, Hex, its
organisations and own repositories), the packages a prod build fetches, the toolchains of
native code, and the programs the application runs."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from kubenative.errors import UserError
from kubenative.project import commands, native
from kubenative.project.layout import Layout
from kubenative.project.mix_exs import Dep, MixProject
from kubenative.project.mix_lock import LockEntry
from kubenative.project.model import NativeDep
from kubenative.project.reading import guard, read_text, rel_path


def git_deps(layout: Layout) -> tuple[str, ...]:
    return tuple(
        sorted(
            {e.name for e in layout.lock if e.scm == "git"}
            | {
                d.name
                for d in layout.all_deps
                if (d.git or d.github) and d.name not in layout.locked
            }
        )
    )


def hex_deps(layout: Layout) -> bool:
    hex_locked = any(e.scm == "hex" for e in layout.lock)
    hex_declared = any(_is_hex(dep) for dep in layout.all_deps)
    return hex_locked or (hex_declared and not layout.has_lock)


def hex_organizations(layout: Layout) -> tuple[str, ...]:
    return tuple(
        sorted(
            {e.repo.split(":", 1)[1] for e in layout.lock if e.repo and e.repo.startswith("hexpm:")}
            | {d.organization for d in layout.all_deps if d.organization}
        )
    )


def hex_repos(layout: Layout) -> tuple[str, ...]:
    # Self-hosted Hex repositories (`repo: "internal"`, locked with that repo's name): the build
    # has to `mix hex.repo add` each one, with its URL and key, before `deps.get`.
    return tuple(
        sorted(
            {e.repo for e in layout.lock if e.scm == "hex" and e.repo and not _hexpm(e.repo)}
            | {d.repo for d in layout.all_deps if d.repo and not _hexpm(d.repo)}
        )
    )


def programs(root: Path, layout: Layout) -> tuple[commands.Command, ...]:
    """Programs the application runs: called in its code, or run by a library a prod build
    fetches (declared in any app, or pulled in by one: thumbnex brings mogrify and ffmpex)."""
    members = layout.members
    direct: dict[str, str] = {}
    for path, mix in members:
        for dep in mix.deps:
            if dep.in_prod:
                direct.setdefault(dep.name, "mix.exs" if path == "." else f"{path}/mix.exs")
    complete = all_deps_read(mix for _, mix in members)
    fetched = prod_packages(layout.lock, layout.all_deps, complete) if layout.lock else set()
    libraries = [(name, direct.get(name, "mix.lock")) for name in sorted(set(direct) | fetched)]
    return commands.read(
        root,
        tuple("lib" if path == "." else f"{path}/lib" for path, _ in members),
        lambda p: read_text(p, root),
    ) + commands.from_deps(libraries)


def all_deps_read(mixes: Iterable[MixProject]) -> bool:
    """Whether kubenative reads every dependency these mix.exs declare: false when one builds
    its deps in a way it cannot follow (`deps() ++ extra()`; ``complete`` of prod_packages)."""
    return not any("deps" in mix.unknown_keys for mix in mixes)


def _hexpm(repo: str) -> bool:
    """hexpm itself or one of its organisations (``hexpm:acme``)."""
    return repo == "hexpm" or repo.startswith("hexpm:")


def _is_hex(dep: Dep) -> bool:
    return not (dep.in_umbrella or dep.path or dep.git or dep.github)


def native_deps(
    root: Path,
    lock: tuple[LockEntry, ...],
    members: list[tuple[str, MixProject]],
    warnings: list[str],
    problems: list[str],
) -> tuple[NativeDep, ...]:
    """Locked packages and the project's own crates that need a toolchain. Packages only the
    dev or test environment uses (``only: :dev``/``:test`` and what only they pull in) are not
    fetched by ``mix deps.get --only prod``, so they never bring a toolchain into the image."""
    complete = all_deps_read(mix for _, mix in members)
    declared = [dep for _, mix in members for dep in mix.deps]
    prod = prod_packages(lock, declared, complete)
    found: list[NativeDep] = []
    for entry in lock:
        needs = native.needs_for(entry.name, entry.deps, entry.version)
        if needs is not None and entry.name in prod:
            found.append(NativeDep(entry.name, needs))
    rustler_in_prod = "rustler" in prod and "rustler_precompiled" not in prod
    crates = 0
    for path, _ in members:
        base = root if path == "." else root / path
        for cargo in sorted(base.glob("native/*/Cargo.toml")):
            rel = rel_path(cargo.parent, root)
            manifest = guard(problems, None, partial(_cargo_toml, root, cargo))
            if manifest is None:
                continue
            needs = native.crate_needs(manifest)
            if needs is None:
                continue
            crates += 1
            if rustler_in_prod:
                found.append(NativeDep(rel, needs))
            else:
                warnings.append(
                    f"{rel} is a Rustler crate but :rustler is not a prod dependency (or "
                    "rustler_precompiled downloads the NIF): no Rust toolchain in the builder"
                )
    direct = {d.name for d in declared if d.in_prod}
    if "rustler" in direct and not crates and not any(_cargo(d.needs) for d in found):
        found.append(NativeDep("rustler", native.DECLARED_RUSTLER))
    return tuple(found)


def _cargo_toml(root: Path, cargo: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(read_text(cargo, root))
    except tomllib.TOMLDecodeError as err:
        raise UserError(f"{rel_path(cargo, root)}: invalid TOML ({err})") from err


def _cargo(needs: native.NativeNeeds) -> bool:
    return "cargo" in needs.builder.get("debian", ())


def prod_packages(
    lock: tuple[LockEntry, ...], declared: list[Dep], complete: bool = True
) -> set[str]:
    """Locked packages a prod build fetches: the declared deps not limited to other
    environments (in any app of an umbrella), and what they depend on. A dependency's optional
    deps are not followed: Mix fetches one only when something else requires it (Phoenix
    LiveView 1.1 lists `lazy_html` as optional; the app declares it `only: :test`).

    When a mix.exs declares deps kubenative cannot read (``complete`` false: `deps() ++
    extra()`, an element built by a function), an unread declaration may need any locked
    package, so every package stays except those only test/dev declarations lead to: a
    package the project itself marks test-only brings nothing, whatever else is unknown."""
    locked = {entry.name: entry for entry in lock}

    def closure(roots: list[str]) -> set[str]:
        seen: set[str] = set()
        pending = list(roots)
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            entry = locked.get(name)
            if entry is not None:
                pending.extend(d for d in entry.deps if d not in entry.optional_deps)
        return seen

    prod = closure([d.name for d in declared if d.in_prod])
    if complete:
        return prod
    other = closure([d.name for d in declared if not d.in_prod])
    return set(locked) - (other - prod)
