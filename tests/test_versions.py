"""Version requirements, .tool-versions and the image table."""

from __future__ import annotations

import pytest

from kubenative import images
from kubenative.project import toolchain
from kubenative.project.versions import satisfies


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
    tools = toolchain.read_tool_versions(
        "elixir 1.16.2-otp-26  # pinned\nerlang 26.2.5\n\nnodejs 20.11.1\n"
    )
    assert tools == {"elixir": "1.16.2-otp-26", "erlang": "26.2.5", "nodejs": "20.11.1"}
    assert toolchain.split_elixir("1.16.2-otp-26") == ("1.16.2", "26")
    assert toolchain.split_elixir("1.16.2") == ("1.16.2", None)


def test_elixir_from_requirements_is_the_newest_known_match() -> None:
    version = toolchain.resolve_elixir(None, "", [("~> 1.15.0", "mix.exs")])
    assert version.value.startswith("1.15.")
    assert "mix.exs" in version.source
    assert toolchain.resolve_elixir(None, "", []).value == images.DEFAULT_BUILD.elixir
    assert toolchain.resolve_elixir("1.16.2-otp-26", ".tool-versions", []).value == "1.16.2"


def test_otp_follows_elixir_and_major() -> None:
    otp = toolchain.resolve_otp("1.18.2", None, "", "26")
    assert otp.value == "26.2.5.7"
    assert toolchain.resolve_otp("1.17.3", None, "", None, "alpine").value == "27.2.1"
    assert toolchain.resolve_otp("1.17.3", "27.0", ".tool-versions", None).value == "27.0"


@pytest.mark.parametrize(
    ("requirement", "major"),
    [(">=18", 24), ("^20.11", 20), ("20.x", 20), (">= 18 <21", 20), ("18 || 20", 20)],
)
def test_node_from_engines(requirement: str, major: int) -> None:
    node = toolchain.resolve_node(None, "", requirement, "assets/package.json")
    assert node.value.split(".")[0] == str(major)


def test_image_names() -> None:
    assert images.builder_image("1.16.2", "26.2.5", "debian", "bookworm-20240513") == (
        "hexpm/elixir:1.16.2-erlang-26.2.5-debian-bookworm-20240513-slim"
    )
    assert images.builder_image("1.16.2", "26.2.5", "alpine", "3.19.1") == (
        "hexpm/elixir:1.16.2-erlang-26.2.5-alpine-3.19.1"
    )
    assert images.runtime_image("debian", "bookworm-20240513") == "debian:bookworm-20240513-slim"
    assert images.node_image("20.18.1", "alpine", "3.19.1") == "node:20.18.1-alpine3.19"
    assert images.node_image("20.18.1", "debian", "bookworm-20240513") == (
        "node:20.18.1-bookworm-slim"
    )
    assert "libssl3" in images.runtime_packages("debian", "bookworm-20240513")
    assert "libssl1.1" in images.runtime_packages("debian", "bullseye-20231009")
