"""The catalog: which images were published, by the rules their publishers build them with."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from kubenative.catalog import distros, hexpm, images, node, official, releases, versions


def _data(name: str) -> dict[str, object]:
    text = resources.files("kubenative").joinpath(f"data/{name}").read_text("utf-8")
    loaded: dict[str, object] = json.loads(text)
    return loaded


def test_every_data_file_names_its_source_in_the_readme() -> None:
    readme = resources.files("kubenative").joinpath("data/README.md").read_text("utf-8")
    headings = [line for line in readme.splitlines() if line.startswith("## ")]
    for path in resources.files("kubenative").joinpath("data").iterdir():
        if path.name.endswith(".json"):
            described = any(path.name in heading for heading in headings)
            assert described, f"data/README.md does not describe {path.name}"
            data = _data(path.name)
            assert data.get("source") or data.get("about"), f"{path.name} names no source"


def test_releases_are_current_to_the_sources() -> None:
    assert releases.newest(releases.elixir_versions()) == "1.20.3"
    assert releases.newest(releases.otp_versions()) == "29.0.5"
    assert "1.15.8" in releases.newest_elixir_patches()
    assert "25.0.4" in releases.newest_otp_patches()
    assert releases.otp_line("26.2.5.21") == "26.2"
    # an unlisted patch below a listed one was out before that one
    assert releases.released_before("otp", "26.2.5.3", "2025-02-01")
    assert not releases.released_before("otp", "26.2.5.3", "2025-01-01")


def test_compatibility_table_counts_patch_releases() -> None:
    assert releases.otp_range("1.9.1") == (20, 22)
    assert releases.otp_range("1.14.4") == (23, 25)
    assert releases.otp_range("1.14.5") == (23, 26)
    assert releases.otp_range("0.9.0") is None


def _hexpm(elixir: str, otp: str, family: distros.OsFamily = "debian") -> list[str]:
    return [b.image for b in hexpm.builds(family) if (b.elixir, b.otp) == (elixir, otp)]


def test_hexpm_builds_the_newest_patches_on_the_newest_base_tags() -> None:
    assert _hexpm("1.20.3", "29.0.5") == [
        "hexpm/elixir:1.20.3-erlang-29.0.5-debian-bullseye-20260803-slim",
        "hexpm/elixir:1.20.3-erlang-29.0.5-debian-bookworm-20260803-slim",
        "hexpm/elixir:1.20.3-erlang-29.0.5-debian-trixie-20260803-slim",
    ]
    # every OTP line's newest patch, for each major the Elixir release ships a build for
    assert _hexpm("1.15.8", "25.0.4")
    # not an older patch: only the newest of each line is built since 2026-06-16
    assert not _hexpm("1.15.8", "25.0.3")
    assert not _hexpm("1.15.7", "26.2.5.21")


def test_hexpm_os_limits() -> None:
    # OpenSSL 3 releases build OTP 24.2 and later only
    assert not any("bookworm" in i or "trixie" in i for i in _hexpm("1.14.5", "23.3.4.20"))
    assert any("bullseye" in i for i in _hexpm("1.14.5", "23.3.4.20"))
    assert not hexpm.os_allows("alpine", "3.23.5", "25.3.2.21")
    assert hexpm.os_allows("alpine", "3.22.5", "25.3.2.21")
    assert not hexpm.os_allows("alpine", "3.22.5", "21.3.8.10")


def test_hexpm_built_elixir_1_10_to_1_13_last_on_the_all_patches_base() -> None:
    found = _hexpm("1.13.4", "24.3.4.17")
    assert found and all("-20260518-slim" in image for image in found)
    assert not [b for b in hexpm.builds("debian") if versions.sort_key(b.elixir) < (1, 10, 0, 0)]


def test_official_images_carry_the_versions_hexpm_never_built() -> None:
    by_version = {b.elixir: b for b in official.builds()}
    article = by_version["1.7.3"]
    assert (article.image, article.release, article.otp) == (
        "elixir:1.7.3-slim",
        "stretch",
        "21.1.1",
    )
    assert article.libssl == "libssl1.1" and article.archived
    assert article.runtime == "debian:stretch-slim"
    assert (by_version["1.8.2"].release, by_version["1.8.2"].otp) == ("buster", "21.3.8.24")
    assert {"1.6.6", "1.7.4", "1.9.4"} <= set(by_version)


def test_runtime_packages_are_the_releases_own() -> None:
    assert distros.runtime_packages("debian", "stretch") == (
        "ca-certificates",
        "libssl1.1",
        "libstdc++6",
        "libtinfo5",
    )
    assert "libtinfo6" in distros.runtime_packages("debian", "buster")
    assert "libssl3" in distros.runtime_packages("debian", "bookworm-20260803")
    assert "libssl3t64" in distros.runtime_packages("debian", "trixie-20260803")
    assert "libssl1.0.2" in distros.runtime_packages("debian", "stretch", "libssl1.0.2")
    assert distros.archived("debian", "buster") and not distros.archived("debian", "bullseye")


def test_node_tags_prefer_releases_still_on_the_mirrors() -> None:
    # 14.21.3 was published on buster and bullseye: a stretch builder gets bullseye's
    assert node.image("14.21.3", "debian", "stretch") == "node:14.21.3-bullseye-slim"
    assert node.image("22.12.0", "debian", "trixie-20260803") == "node:22.12.0-bookworm-slim"
    assert node.image("7.10.1", "debian", "bookworm") == "node:7.10.1-slim"
    assert node.variant("7.10.1", "debian", "bookworm") == ("slim", "jessie")
    assert node.image("20.18.1", "alpine", "3.19.1") == "node:20.18.1-alpine3.19"
    assert node.image("12.99.0", "debian", "bookworm") is None
    assert node.matching("20.11", "debian")[0] == "20.11.1"


@pytest.mark.parametrize(
    ("reference", "published"),
    [
        ("hexpm/elixir:1.20.3-erlang-29.0.5-debian-trixie-20260803-slim", True),
        ("hexpm/elixir:1.15-erlang-25.0-debian-bookworm-20260803-slim", False),
        ("hexpm/elixir:1.9.4-erlang-22.3.4.26-debian-bullseye-20260803-slim", False),
        ("elixir:1.7.3-slim", True),
        ("elixir:1.7.5-slim", False),
        ("debian:stretch-slim", True),
        ("debian:bookworm-20260803-slim", True),
        ("debian:bookworm-20260804-slim", False),
        ("alpine:3.22.5", True),
        ("node:14.21.3-bullseye-slim", True),
        ("node:22.12.0-trixie-slim", False),
    ],
)
def test_published(reference: str, published: bool) -> None:
    assert images.published(reference) is published


def test_every_catalog_build_and_its_runtime_were_published() -> None:
    for family in ("debian", "alpine"):
        for build in images.builds(family):  # type: ignore[arg-type]
            assert images.published(build.image), build.image
            assert images.published(build.runtime), build.runtime


def test_image_facts() -> None:
    facts = images.facts("hexpm/elixir:1.16.2-erlang-26.2.5-debian-bookworm-20240612-slim")
    assert (facts.elixir, facts.otp, facts.release, facts.slim) == (
        "1.16.2",
        "26.2.5",
        "bookworm-20240612",
        True,
    )
    assert images.facts("mirror.example/elixir:1.14-otp25-bookworm").otp == "25"
    assert images.facts("debian:12-slim").release == "bookworm"
    stated = images.stated_build("hexpm/elixir:1.20.3-erlang-29.0.5-debian-trixie-20260901-slim")
    assert stated is not None and stated.runtime == "debian:trixie-20260901-slim"
    assert images.stated_build("elixir:1.14-otp25-bookworm") is None
