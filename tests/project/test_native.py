"""The table of native packages (data/native_packages.json) and which locked packages a prod
build fetches."""

from __future__ import annotations

import json
from importlib import resources

from kubenative.project import native
from kubenative.project.dependencies import prod_packages
from kubenative.project.mix_exs import Dep
from kubenative.project.mix_lock import LockEntry


def test_every_entry_names_its_source_at_a_commit() -> None:
    data = json.loads(
        resources.files("kubenative").joinpath("data/native_packages.json").read_text("utf-8")
    )
    entries = [*data["packages"].values(), *data["helpers"]]
    for entry in entries:
        assert "@" in entry["source"] and entry["compiles"] in ("c", "rust", "none"), entry
        for key in ("builder", "runtime"):
            assert set(entry.get(key, {})) <= {"debian", "alpine"}, entry


def test_what_each_kind_of_package_needs() -> None:
    fast_html = native.needs_for("fast_html", ("elixir_make",), "2.3.0")
    assert fast_html is not None and fast_html.c_toolchain
    assert fast_html.builder["debian"] == ("cmake",)
    vix = native.needs_for("vix", ("cc_precompiler", "elixir_make"), "0.33.0")
    assert vix is not None and "pkg-config" not in vix.builder["debian"]
    assert vix.builder["debian"] == ("ca-certificates",)  # the download; gcc is the fallback
    evision = native.needs_for("evision", ("elixir_make",), "0.2.9")
    assert evision is not None and not evision.c_toolchain
    assert native.needs_for("comeonin", (), "3.2.0") is not None
    assert native.needs_for("comeonin", (), "5.5.1") is None
    # a package the table does not name, through its build helper
    precompiled = native.needs_for("explorer", ("rustler_precompiled", "rustler"), "0.10.0")
    assert precompiled is not None and not precompiled.c_toolchain
    rust = native.needs_for("html5ever", ("rustler",), "0.15.0")
    assert rust is not None and rust.builder["debian"] == ("cargo", "rustc")
    assert native.needs_for("jason", (), "1.4.4") is None


def lock(name: str, *deps: str, optional: tuple[str, ...] = ()) -> LockEntry:
    return LockEntry(name, "hex", "1.0.0", deps=(*deps, *optional), optional_deps=optional)


LOCK = (
    lock("phoenix_live_view", "phoenix", optional=("lazy_html",)),
    lock("phoenix"),
    lock("lazy_html", "cc_precompiler"),
    lock("cc_precompiler"),
    lock("exqlite", "cc_precompiler"),
    lock("nerves_runtime"),
)


def test_optional_deps_of_a_dependency_are_not_fetched() -> None:
    declared = [Dep("phoenix_live_view"), Dep("lazy_html", only=("test",))]
    assert prod_packages(LOCK, declared) == {"phoenix_live_view", "phoenix"}


def test_test_only_deps_bring_nothing_even_beside_deps_kubenative_cannot_read() -> None:
    # one app's deps() ++ extra_deps(Mix.target()): an unread declaration may need any locked
    # package, except what only test/dev declarations lead to
    declared = [
        Dep("phoenix_live_view"),
        Dep("lazy_html", only=("test",)),
        Dep("exqlite", only=("test",)),
    ]
    found = prod_packages(LOCK, declared, complete=False)
    assert found == {"phoenix_live_view", "phoenix", "nerves_runtime"}
