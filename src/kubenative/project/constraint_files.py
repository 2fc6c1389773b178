"""Every line of the project that limits or states the Elixir, OTP, OS and Node versions,
read from the files that hold them (``kubenative.project.constraints`` reads each kind)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kubenative.project import constraints
from kubenative.project.assets import load_package_json
from kubenative.project.dependencies import all_deps_read, prod_packages
from kubenative.project.layout import Layout, mix_files
from kubenative.project.model import Assets
from kubenative.project.npm_lock import read_npm_lock
from kubenative.project.reading import read_text, rel_path


def read_constraints(
    root: Path,
    layout: Layout,
    release_tool: str | None,
    late_config: tuple[str, ...],
    assets: Iterable[Assets],
) -> tuple[constraints.Constraint, ...]:
    """Every line of the project that limits or states the Elixir, OTP, OS and Node versions
    (``kubenative.project.constraints``)."""
    texts = {rel: read_text(root / rel, root) for rel in mix_files(layout.members)}
    found = constraints.from_mix(layout.members, texts, release_tool, late_config)
    # The lock graph is walked from the prod deps of every app and, in an umbrella, of the
    # root mix.exs (where Distillery is usually declared).
    mixes = [mix for _, mix in layout.members]
    if layout.top.umbrella:
        mixes.append(layout.top)
    complete = all_deps_read(mixes)
    declared = [dep for mix in mixes for dep in mix.deps]
    lock_text = read_text(root / "mix.lock", root) if layout.has_lock else ""
    found += constraints.from_mix_lock(
        layout.lock, prod_packages(layout.lock, declared, complete), lock_text
    )

    def read(path: Path) -> str:
        return read_text(path, root)

    if (root / ".tool-versions").is_file():
        found += constraints.from_tool_versions(read(root / ".tool-versions"))
    found += constraints.from_dockerfiles(root, read)
    found += constraints.from_ci(root, read)
    node_assets = [a for a in assets if a.node]
    if not node_assets:
        return tuple(c for c in found if c.tool != "node")
    if not any(c.tool == "node" for c in found):
        found += _node_pins(root, node_assets)
    for item in node_assets:
        package = "package.json" if item.path == "." else f"{item.path}/package.json"
        if (root / package).is_file():
            text = read_text(root / package, root)
            engines = constraints.engines(
                load_package_json(root, package, read_text), package, text
            )
            if engines is not None:
                found.append(engines)
                break
    for item in node_assets:
        if item.lockfile and not item.lockfile.startswith("bun.lock"):
            rel = f"{item.path}/{item.lockfile}" if item.path != "." else item.lockfile
            text = read_text(root / rel, root)
            lock = read_npm_lock(item.lockfile, text)
            found += constraints.from_npm_lock(lock.packages, lock.lockfile_version, rel, text)
    return tuple(found)


# Files that pin a Node version, in the order version managers read them (nvm, nodenv/fnm).
NODE_PIN_FILES = (".nvmrc", ".node-version")


def _node_pins(root: Path, node_assets: list[Assets]) -> list[constraints.Constraint]:
    for directory in [".", *[a.path for a in node_assets]]:
        for name in NODE_PIN_FILES:
            pin_file = root / directory / name
            if pin_file.is_file():
                pin = constraints.node_pin_file(read_text(pin_file, root), rel_path(pin_file, root))
                if pin is not None:
                    return [pin]
    return []
