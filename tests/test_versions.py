"""Version requirements, and the project's lines that state or limit its versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubenative.catalog.versions import satisfies
from kubenative.project import constraints
from kubenative.project.mix_lock import LockEntry
from kubenative.project.npm_lock import entry_line, read_npm_lock


@pytest.mark.parametrize(
    ("version", "requirement", "result"),
    [
        ("1.16.2", "~> 1.14", True),
        ("2.0.0", "~> 1.14", False),
        ("1.14.9", "~> 1.14.0", True),
        ("1.15.0", "~> 1.14.0", False),
        ("1.13.4", ">= 1.12.0 and < 1.14.0", True),
        ("1.14.0", ">= 1.12.0 and < 1.14.0", False),
        ("1.17.3", "~> 1.15 or ~> 1.17", True),
        ("1.15.7", "== 1.15.7", True),
        ("1.15.7", "1.15.6", False),
        ("1.15.7", "not a requirement", False),
    ],
)
def test_satisfies(version: str, requirement: str, result: bool) -> None:
    assert satisfies(version, requirement) is result


def test_tool_versions() -> None:
    tools = constraints.read_tool_versions(
        "elixir 1.16.2-otp-26  # pinned\nerlang 26.2.5\n\nnodejs 20.11.1\n"
    )
    assert tools == {
        "elixir": ("1.16.2-otp-26", 1),
        "erlang": ("26.2.5", 2),
        "nodejs": ("20.11.1", 4),
    }
    assert constraints.split_elixir("1.16.2-otp-26") == ("1.16.2", "26")
    assert constraints.split_elixir("1.16.2") == ("1.16.2", None)


@pytest.mark.parametrize(
    ("tool", "stated", "allows"),
    [
        ("elixir", "1.15", ">= 1.15.0 and < 1.16.0"),
        ("elixir", "1.15.7", "== 1.15.7"),
        ("otp", "25.0", ">= 25.0.0 and < 25.1.0"),
        ("otp", "26", ">= 26.0.0 and < 27.0.0"),
        ("otp", "26.2.5.3", "== 26.2.5.3"),
        ("node", "v20", ">= 20.0.0 and < 21.0.0"),
        ("node", "lts/*", None),
    ],
)
def test_partial_pins_are_ranges(tool: str, stated: str, allows: str | None) -> None:
    assert constraints.exact_or_line(tool, stated) == allows


def test_tool_versions_pins_are_soft_with_their_lines() -> None:
    found = constraints.from_tool_versions("elixir 1.15\nerlang 25.0\n")
    assert [(c.tool, c.allows, c.hard, c.source) for c in found] == [
        ("elixir", ">= 1.15.0 and < 1.16.0", False, ".tool-versions:1"),
        ("otp", ">= 25.0.0 and < 25.1.0", False, ".tool-versions:2"),
    ]
    both = constraints.from_tool_versions("elixir 1.7.3-otp-21\n")
    assert [(c.tool, c.allows) for c in both] == [
        ("elixir", "== 1.7.3"),
        ("otp", ">= 21.0.0 and < 22.0.0"),
    ]


@pytest.mark.parametrize(
    ("requirement", "expected"),
    [
        (">=18", ">=18"),
        ("^20.11", ">= 20.11 and < 21.0.0"),
        ("20.x", ">= 20 and < 21.0.0"),
        (">= 18 <21", ">=18 and <21"),
        ("18 || 20", ">= 18 and < 19.0.0 or >= 20 and < 21.0.0"),
        ("14.21.3", "== 14.21.3"),
    ],
)
def test_npm_ranges_in_elixir_syntax(requirement: str, expected: str) -> None:
    assert constraints.npm_requirement(requirement) == expected


def test_lock_caps_only_for_what_a_dependency_reaches() -> None:
    lock = (
        LockEntry("phoenix", "hex", "1.3.4", deps=("plug",)),
        LockEntry("plug", "hex", "1.8.3", deps=("plug_crypto",)),
        LockEntry("plug_crypto", "hex", "1.0.0"),
        LockEntry("distillery", "hex", "2.0.14"),  # a leftover: nothing depends on it
    )
    text = '%{\n  "distillery": {},\n  "phoenix": {},\n  "plug": {},\n  "plug_crypto": {},\n}\n'
    found = constraints.from_mix_lock(lock, {"phoenix", "plug", "plug_crypto"}, text)
    assert [(c.tool, c.allows, c.source) for c in found] == [("otp", "< 24.0.0", "mix.lock:5")]
    assert "plug_crypto 1.0.0 needs OTP < 24.0.0" in found[0].why


def test_dockerfile_and_ci_state_versions(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(
        "ARG ELIXIR_VERSION=1.13.4\nARG OTP_VERSION=25.0.4\n"
        "ARG DEBIAN_VERSION=bullseye-20220801-slim\n"
        'ARG BUILDER_IMAGE="hexpm/elixir:${ELIXIR_VERSION}-erlang-${OTP_VERSION}-debian-'
        '${DEBIAN_VERSION}"\nFROM ${BUILDER_IMAGE} as builder\nFROM debian:bullseye-slim\n'
    )
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text(
        "jobs:\n  test:\n    strategy:\n      matrix:\n        elixir: ['1.11', '1.12']\n"
        "        otp: [23, 24]\n    steps:\n      - uses: erlef/setup-beam@v1\n"
        "        with:\n          elixir-version: ${{ matrix.elixir }}\n"
    )
    read = lambda path: path.read_text()  # noqa: E731
    found = constraints.from_dockerfiles(tmp_path, read)
    image = "hexpm/elixir:1.13.4-erlang-25.0.4-debian-bullseye-20220801-slim"
    assert [(c.tool, c.allows, c.source, c.image) for c in found] == [
        ("elixir", "== 1.13.4", "Dockerfile:5", image),
        ("otp", "== 25.0.4", "Dockerfile:5", image),
        ("os", "bullseye", "Dockerfile:5", None),
    ]
    ci = constraints.from_ci(tmp_path, read)
    assert [(c.tool, c.allows, c.source) for c in ci] == [
        (
            "elixir",
            ">= 1.11.0 and < 1.12.0 or >= 1.12.0 and < 1.13.0",
            ".github/workflows/ci.yml:5",
        ),
        ("otp", ">= 23.0.0 and < 24.0.0 or >= 24.0.0 and < 25.0.0", ".github/workflows/ci.yml:6"),
    ]


def test_generated_dockerfiles_are_not_evidence(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(
        "# Generated by kubenative (sha256:0); hand edits are kept unless --force.\n"
        "ARG BUILDER_IMAGE=hexpm/elixir:1.13.4-erlang-25.0.4-debian-bullseye-20220801-slim\n"
        "FROM ${BUILDER_IMAGE} AS builder\n"
    )
    assert constraints.from_dockerfiles(tmp_path, lambda path: path.read_text()) == []


def test_gitlab_image_and_travis_keys(tmp_path: Path) -> None:
    (tmp_path / ".gitlab-ci.yml").write_text("test:\n  image: elixir:1.10.4\n")
    (tmp_path / ".travis.yml").write_text(
        "language: elixir\nelixir:\n  - 1.6.5\notp_release: 20.3\n"
    )
    found = constraints.from_ci(tmp_path, lambda path: path.read_text())
    assert ("elixir", "== 1.10.4", ".gitlab-ci.yml:2") in [
        (c.tool, c.allows, c.source) for c in found
    ]
    assert ("otp", ">= 20.3.0 and < 20.4.0", ".travis.yml:4") in [
        (c.tool, c.allows, c.source) for c in found
    ]


def test_npm_lock_packages_limit_node_each_with_its_line() -> None:
    text = (
        '{\n  "lockfileVersion": 1,\n  "dependencies": {\n'
        '    "fibers": {},\n    "node-sass": {}\n  }\n}\n'
    )
    found = constraints.from_npm_lock(
        {"fibers": "5.0.0", "node-sass": "7.0.1"}, 1, "assets/package-lock.json", text
    )
    assert [(c.allows, c.hard, c.source) for c in found] == [
        ("< 16.0.0", True, "assets/package-lock.json:4"),
        (">= 12.0.0 and < 18.0.0", True, "assets/package-lock.json:5"),
        ("< 15.0.0", False, "assets/package-lock.json:2"),
    ]


def test_a_lock_lists_every_node_gyp_and_the_oldest_one_s_line() -> None:
    yarn = (
        "# yarn lockfile v1\n\n\n"
        'node-gyp@^3.8.0:\n  version "3.8.0"\n  resolved "x"\n\n'
        'node-gyp@^7.1.0:\n  version "7.1.2"\n  resolved "y"\n'
    )
    lock = read_npm_lock("yarn.lock", yarn)
    assert lock.every["node-gyp"] == ("3.8.0", "7.1.2")
    assert lock.oldest("node-gyp") == "3.8.0"
    assert entry_line(yarn, "node-gyp", "7.1.2") == 8
    package_lock = (
        '{\n  "lockfileVersion": 2,\n  "packages": {\n'
        '    "node_modules/node-gyp": {\n      "version": "8.4.1"\n    },\n'
        '    "node_modules/node-sass/node_modules/node-gyp": {\n      "version": "3.8.0"\n    }\n'
        "  }\n}\n"
    )
    lock = read_npm_lock("package-lock.json", package_lock)
    assert lock.packages["node-gyp"] == "8.4.1" and lock.oldest("node-gyp") == "3.8.0"
    assert entry_line(package_lock, "node-gyp", "3.8.0") == 7
