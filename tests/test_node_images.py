"""Node image tags: only published ones, and a Node version the project's lock can build with."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kubenative import images, node_images
from kubenative.errors import UserError
from kubenative.project import era, toolchain
from kubenative.project.inspect import inspect_project


def _releases() -> list[tuple[images.OsFamily, str]]:
    """Every OS family/release kubenative builds on: its builder table, plus each Debian
    release it knows by name."""
    found = {(b.family, b.release) for b in images.KNOWN_BUILDS}
    found |= {("debian", name) for name in node_images.DEBIAN_RELEASES}
    return sorted(found)


@pytest.mark.parametrize("node", images.KNOWN_NODE)
def test_every_node_tag_kubenative_can_emit_was_published(node: str) -> None:
    published = node_images.published()
    for family, release in _releases():
        tag = images.node_image(node, family, release)
        version, variant = tag.removeprefix("node:").split("-", 1)
        assert variant in published[version], f"{tag} was never published"


def test_every_version_any_pin_can_reach_has_a_published_tag() -> None:
    for version in node_images.published():
        for family, release in _releases():
            suffix = node_images.variant(version, family, release)
            assert suffix is None or suffix in node_images.published()[version]


def test_shipped_table_names_its_source() -> None:
    from importlib import resources

    data = json.loads(resources.files("kubenative").joinpath("data/node_tags.json").read_text())
    assert "docker-node" in data["source"]
    assert "2026-08-19" in data["covers"]


def test_nearest_published_release() -> None:
    # trixie variants start at 22.18.0: 22.12.0 is built on bookworm instead.
    assert images.node_image("22.12.0", "debian", "trixie-20260610") == "node:22.12.0-bookworm-slim"
    # Node 12 never had bookworm images; bullseye ones from 12.22.5.
    assert images.node_image("12.22.12", "debian", "bookworm") == "node:12.22.12-bullseye-slim"
    assert images.node_image("12.18.3", "debian", "bullseye") == "node:12.18.3-buster-slim"
    assert images.node_image("20.18.1", "alpine", "3.19.1") == "node:20.18.1-alpine3.19"
    assert images.node_image("24.11.0", "alpine", "3.19.1") == "node:24.11.0-alpine3.21"
    with pytest.raises(UserError):
        images.node_image("12.99.0", "debian", "bookworm")


def test_pins_resolve_to_the_newest_published_match() -> None:
    assert node_images.matching("12", "debian") == "12.22.12"
    assert node_images.matching("v16.13", "debian") == "16.13.2"
    assert node_images.matching("20.11.1", "debian") == "20.11.1"
    assert node_images.matching("99", "debian") is None
    node = toolchain.resolve_node("14", ".nvmrc", None, "")
    assert (node.value, node.source) == ("14.21.3", "'14' in .nvmrc")


PACKAGE_LOCK_V1 = {
    "lockfileVersion": 1,
    "dependencies": {
        "webpack": {"version": "4.46.0"},
        "node-sass": {"version": "4.12.0", "dependencies": {"node-gyp": {"version": "3.8.0"}}},
    },
}


def test_lock_caps_node_webpack4_node_sass_and_npm6() -> None:
    lock = era.read_npm_lock("package-lock.json", json.dumps(PACKAGE_LOCK_V1))
    assert lock.native
    caps = era.npm_caps(lock, "assets/package-lock.json")
    node = toolchain.resolve_node(None, "", None, "", caps)
    assert node.value == "12.22.12"  # node-sass 4.12 has binaries up to Node 12
    assert any("node-sass 4.12.0" in reason for reason in node.capped)


def test_webpack4_alone_caps_below_17() -> None:
    lock = era.read_npm_lock(
        "package-lock.json",
        json.dumps(
            {
                "lockfileVersion": 3,
                "packages": {"": {}, "node_modules/webpack": {"version": "4.1.0"}},
            }
        ),
    )
    assert not lock.native
    node = toolchain.resolve_node(None, "", None, "", era.npm_caps(lock, "package-lock.json"))
    assert node.value == "16.20.2"
    assert "OpenSSL 3" in node.capped[0]


def test_yarn_lock_versions() -> None:
    text = (
        '# yarn lockfile v1\n\n"webpack@^4.41.0", webpack@^4.0.0:\n  version "4.46.0"\n'
        '  resolved "x"\n\nnode-gyp@^3.8.0:\n  version "3.8.0"\n'
    )
    lock = era.read_npm_lock("yarn.lock", text)
    assert lock.packages == {"webpack": "4.46.0", "node-gyp": "3.8.0"}
    assert lock.native


def test_modern_lock_is_not_capped() -> None:
    lock = era.read_npm_lock(
        "package-lock.json",
        json.dumps(
            {"lockfileVersion": 3, "packages": {"node_modules/esbuild": {"version": "0.19.0"}}}
        ),
    )
    node = toolchain.resolve_node(None, "", None, "", era.npm_caps(lock, "package-lock.json"))
    assert (node.value, node.capped) == (images.DEFAULT_NODE, ())


def test_a_pin_the_lock_cannot_build_with_is_warned(tmp_path: Path) -> None:
    fixture = Path(__file__).parent / "e2e" / "fixtures" / "webpack_era"
    project = tmp_path / "webpack_era"
    shutil.copytree(fixture, project)
    (project / ".nvmrc").write_text("18\n")
    found = inspect_project(str(project))
    assert found.node is not None and found.node.value.startswith("18.")
    assert any("webpack 4.47.0" in w and "may fail" in w for w in found.warnings)
