"""Locked dependencies that need a toolchain in the builder or libraries in the runtime.

The table is ``data/native_packages.json`` (each entry with the source that shows it): per OS
family, the builder packages (compilers, headers, cmake) and the runtime packages (shared
libraries the NIF links against). Packages that every builder already gets with a C toolchain
(``catalog.distros.BUILD_PACKAGES``) are not repeated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class NativeNeeds:
    reason: str
    builder: dict[str, tuple[str, ...]]  # OS family -> packages
    runtime: dict[str, tuple[str, ...]]
    c_toolchain: bool = True
    rust_version: str | None = None  # the oldest Rust a crate builds with (Cargo's rust-version)


# The rustc each Debian release ships: a crate whose `rust-version` is newer needs rustup.
DEBIAN_RUSTC = {"bullseye": "1.48", "bookworm": "1.63", "trixie": "1.85"}


def rust_too_old(wanted: str, os_release: str) -> str | None:
    """Debian's rustc version when it is older than ``wanted``; None when it is new enough or
    unknown."""
    shipped = DEBIAN_RUSTC.get(os_release.split("-", 1)[0])
    if shipped is None:
        return None

    def key(version: str) -> tuple[int, ...]:
        return tuple(int(p) for p in version.split(".")[:3] if p.isdigit())

    return shipped if key(wanted) > key(shipped) else None


_FAMILIES = ("debian", "alpine")
_RUST = {"debian": ("cargo", "rustc"), "alpine": ("cargo", "rust")}
# A prebuilt artefact is downloaded over HTTPS at compile time (elixir_make reads the system's
# CA store; rustler_precompiled's CAStore needs none, older setups did).
_CERTS = {"debian": ("ca-certificates",), "alpine": ("ca-certificates",)}


def _needs(entry: dict[str, Any]) -> NativeNeeds:
    """One entry of data/native_packages.json as what the builder and the runtime need."""
    compiles = entry.get("compiles", "c")
    builder: dict[str, tuple[str, ...]] = {}
    for family in _FAMILIES:
        packages: list[str] = []
        if entry.get("precompiled"):
            packages.extend(_CERTS[family])
        if compiles == "rust":
            packages.extend(_RUST[family])
        packages.extend(entry.get("builder", {}).get(family, ()))
        builder[family] = tuple(dict.fromkeys(packages))
    runtime = {family: tuple(entry.get("runtime", {}).get(family, ())) for family in _FAMILIES}
    return NativeNeeds(str(entry["reason"]), builder, runtime, c_toolchain=compiles != "none")


def _load() -> tuple[dict[str, Any], dict[str, NativeNeeds], tuple[tuple[str, NativeNeeds], ...]]:
    text = resources.files("kubenative").joinpath("data/native_packages.json").read_text("utf-8")
    data = json.loads(text)
    packages = {name: _needs(entry) for name, entry in data["packages"].items()}
    helpers = tuple((str(entry["name"]), _needs(entry)) for entry in data["helpers"])
    return data["packages"], packages, helpers


_DATA, KNOWN_NATIVE, TOOLCHAIN_DEPS = _load()
# Libraries that are native themselves: KNOWN_NATIVE. Build helpers: a package that depends on
# one of TOOLCHAIN_DEPS is native in that helper's way. The first match wins, so a crate that
# offers precompiled NIFs is not compiled with cargo.
_HELPERS = {name for name, _ in TOOLCHAIN_DEPS}


def _older(version: str, than: str) -> bool:
    """Whether ``version`` sorts below ``than`` (numeric parts only)."""

    def key(text: str) -> tuple[int, ...]:
        return tuple(int(p) for p in text.split("-", 1)[0].split(".") if p.isdigit())

    return key(version) < key(than)


def needs_for(name: str, deps: tuple[str, ...], version: str | None = None) -> NativeNeeds | None:
    """What a locked package needs, or None when it is plain Erlang/Elixir.

    Build helpers themselves (rustler, elixir_make, ...) are not reported: the packages that
    use them are.
    """
    below = _DATA.get(name, {}).get("below")
    if below is not None and version and not _older(version, str(below)):
        return None  # e.g. from 4.0 comeonin is a behaviour; the hashing NIFs are separate
    if name in KNOWN_NATIVE:
        return KNOWN_NATIVE[name]
    if name in _HELPERS:
        return None
    for helper, needs in TOOLCHAIN_DEPS:
        if helper in deps:
            return NativeNeeds(
                f"{needs.reason} (uses {helper})", needs.builder, needs.runtime, needs.c_toolchain
            )
    # `make` alone says nothing: cowboy, cowlib and ranch build with erlang.mk and have no C.
    return None


# The project's own Rust crates (native/NAME/Cargo.toml, compiled by Rustler at `mix compile`):
# Debian's rustc/cargo, plus libclang for crates that generate bindings with bindgen and cmake
# for crates that build C/C++ code with the cmake crate.
_BINDGEN = {"debian": ("clang", "libclang-dev"), "alpine": ("clang-dev",)}
_CMAKE = {"debian": ("cmake",), "alpine": ("cmake",)}


# A project that declares :rustler itself but has no crate of its own: a dependency the lock
# cannot describe compiles one (a git dependency's mix.exs is not in mix.lock: hexpm's `lumis`,
# built from a sparse checkout) or a rustler_precompiled package is forced to build from source
# (that is what declaring rustler next to it is for). Either way `mix deps.compile` runs cargo.
DECLARED_RUSTLER = NativeNeeds(
    "the project declares :rustler itself, so a dependency (a git dependency, or a "
    "precompiled NIF forced to build) compiles a Rust crate with cargo",
    dict(_RUST),
    {"debian": (), "alpine": ("libgcc",)},
)


def crate_needs(cargo: dict[str, object]) -> NativeNeeds | None:
    """What building one of the project's own crates needs (its parsed Cargo.toml), or None
    when it is not a Rustler NIF crate."""
    deps: set[str] = set()
    for section in ("dependencies", "build-dependencies"):
        table = cargo.get(section)
        if isinstance(table, dict):
            deps.update(str(name) for name in table)
    if "rustler" not in deps:
        return None
    builder = {family: list(packages) for family, packages in _RUST.items()}
    extras = []
    for crate, packages in (("bindgen", _BINDGEN), ("cmake", _CMAKE)):
        if crate in deps:
            extras.append(crate)
            for family, names in packages.items():
                builder[family].extend(names)
    reason = "the project's own Rustler crate, compiled with cargo"
    if extras:
        reason += f" (uses {', '.join(extras)})"
    package = cargo.get("package")
    wanted = package.get("rust-version") if isinstance(package, dict) else None
    return NativeNeeds(
        reason,
        {family: tuple(names) for family, names in builder.items()},
        {"debian": (), "alpine": ("libgcc",)},
        rust_version=str(wanted) if wanted is not None else None,
    )
