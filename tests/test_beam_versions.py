"""Elixir/OTP: a pair hexpm built, from pins, the project's Dockerfiles and CI, and its lock."""

from __future__ import annotations

from pathlib import Path

from kubenative import images
from kubenative.project import era, hints, toolchain
from kubenative.project.mix_lock import LockEntry
from kubenative.project.model import Hint, Version, VersionEvidence


def _choose(evidence: VersionEvidence, family: images.OsFamily = "debian") -> toolchain.BeamChoice:
    return toolchain.choose_beam(evidence, [("~> 1.4", "mix.exs")], family)


def _built(choice: toolchain.BeamChoice) -> bool:
    return any(
        b.elixir == choice.elixir.value and b.otp == choice.otp.value for b in images.KNOWN_BUILDS
    )


def test_known_builds_outside_elixirs_table_are_only_the_documented_one() -> None:
    # hexpm also built Elixir 1.18.4 on OTP 28, which Elixir's table does not list for 1.18:
    # kubenative never chooses it (only a pin of both, or --builder-image, gets it).
    outside = {
        (b.elixir, b.otp) for b in images.KNOWN_BUILDS if not toolchain.compatible(b.elixir, b.otp)
    }
    assert outside == {("1.18.4", "28.0.1")}


def test_compatibility_table_counts_patch_releases() -> None:
    assert toolchain.otp_range("1.9.1") == (20, 22)
    assert toolchain.otp_range("1.14.4") == (23, 25)
    assert toolchain.otp_range("1.14.5") == (23, 26)
    assert toolchain.otp_range("0.9.0") is None


def test_elixir_only_pin_gets_the_newest_otp_that_elixir_supports() -> None:
    choice = _choose(VersionEvidence(elixir_pin=Version("1.16.3", ".tool-versions")))
    assert (choice.elixir.value, choice.otp.value) == ("1.16.3", "26.2.5")
    assert "Elixir 1.16 supports (24-26)" in choice.otp.source
    # hexpm built 1.18.4 with OTP 28, but Elixir's table says 1.18 supports 25-27.
    choice = _choose(VersionEvidence(elixir_pin=Version("1.18.4", ".tool-versions")))
    assert choice.otp.value.startswith("27.")


def test_elixir_pin_without_a_known_image_takes_the_newest_known_patch_and_says_so() -> None:
    choice = _choose(VersionEvidence(elixir_pin=Version("1.9.1", ".tool-versions")))
    assert choice.elixir.value == "1.9.4"
    assert choice.otp.value.startswith("22.")
    assert _built(choice)
    assert "Elixir 1.9.1 (.tool-versions)" in choice.warnings[0]


def test_otp_pin_from_tool_versions() -> None:
    evidence = VersionEvidence(
        Version("1.17.3", ".tool-versions"), Version("27", ".tool-versions (elixir 1.17.3-otp-27)")
    )
    choice = _choose(evidence, "alpine")
    assert (choice.elixir.value, choice.otp.value) == ("1.17.3", "27.2.1")
    assert "1.17.3-otp-27" in choice.otp.source


def _lock(**versions: str) -> tuple[LockEntry, ...]:
    return tuple(LockEntry(name, "hex", version) for name, version in versions.items())


def test_old_plug_crypto_caps_otp_below_24() -> None:
    caps = era.mix_caps(_lock(phoenix="1.3.4", plug="1.8.3", plug_crypto="1.0.0"))
    choice = _choose(VersionEvidence(caps=caps))
    assert choice.otp.value.startswith("23.")
    assert _built(choice)
    assert choice.otp.capped == (
        "plug_crypto 1.0.0 in mix.lock uses :crypto.hmac, removed in OTP 24 "
        "(plug_crypto 1.2.1 added OTP 24 support)",
    )
    assert choice.elixir.capped == choice.otp.capped  # the newest Elixir needs a newer OTP
    assert not _choose(VersionEvidence(caps=era.mix_caps(_lock(plug_crypto="1.2.5")))).otp.capped


def test_distillery_before_2_1_caps_elixir_below_1_9() -> None:
    caps = era.mix_caps(_lock(distillery="2.0.12"))
    alpine = _choose(VersionEvidence(caps=caps), "alpine")
    assert alpine.elixir.value == "1.8.2"
    assert "Elixir 1.9 took" in alpine.elixir.capped[0]
    debian = _choose(VersionEvidence(caps=caps))
    assert "--os alpine" in debian.warnings[0]
    assert not era.mix_caps(_lock(distillery="2.1.1"))


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
    found = hints.read_hints(tmp_path)
    assert found[:2] == (
        Hint(
            "elixir",
            "1.13.4",
            "Dockerfile (FROM hexpm/elixir:1.13.4-erlang-25.0.4-debian-bullseye-20220801-slim)",
        ),
        Hint(
            "otp",
            "25.0.4",
            "Dockerfile (FROM hexpm/elixir:1.13.4-erlang-25.0.4-debian-bullseye-20220801-slim)",
        ),
    )
    assert Hint("elixir", "1.12", ".github/workflows/ci.yml (elixir)") in found
    choice = _choose(VersionEvidence(hints=found))
    assert (choice.elixir.value, choice.otp.value) == ("1.13.4", "25.0.4")
    assert choice.elixir.source.startswith("Dockerfile (FROM hexpm/elixir:1.13.4")


def test_generated_dockerfiles_are_not_evidence(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(
        "# Generated by kubenative (sha256:0); hand edits are kept unless --force.\n"
        "ARG BUILDER_IMAGE=hexpm/elixir:1.13.4-erlang-25.0.4-debian-bullseye-20220801-slim\n"
        "FROM ${BUILDER_IMAGE} AS builder\n"
    )
    assert hints.read_hints(tmp_path) == ()


def test_gitlab_image_and_travis_keys(tmp_path: Path) -> None:
    (tmp_path / ".gitlab-ci.yml").write_text("test:\n  image: elixir:1.10.4\n")
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "publish.yml").write_text(
        'env:\n  ELIXIR_VERSION: "1.13.4"\n  OTP_VERSION: "25.0.1"\n'
    )
    (tmp_path / ".travis.yml").write_text(
        "language: elixir\nelixir:\n  - 1.6.5\notp_release: 20.3\n"
    )
    found = hints.read_hints(tmp_path)
    assert Hint("elixir", "1.10.4", ".gitlab-ci.yml (image elixir:1.10.4)") in found
    assert Hint("otp", "20.3", ".travis.yml (otp_release)") in found
    assert found[0] == Hint("elixir", "1.13.4", ".github/workflows/publish.yml (ELIXIR_VERSION)")


def test_stated_versions_without_a_known_image_give_way_to_the_nearest_known() -> None:
    # No Debian image of any 1.10: the oldest known minor above it, not the newest Elixir
    # (bors-ng's `FROM elixir:1.7.3` got 1.19 / OTP 28 before).
    hint = Hint("elixir", "1.10.4", "Dockerfile (FROM elixir:1.10.4-alpine)")
    choice = _choose(VersionEvidence(hints=(hint,)))
    assert choice.build is not None
    assert choice.elixir.value.startswith("1.11.")
    assert "elixir 1.10.4 in Dockerfile (FROM elixir:1.10.4-alpine)" in choice.warnings[0]
    assert "choosing the nearest it knows" in choice.warnings[0]
    assert _choose(VersionEvidence(hints=(hint,)), "alpine").elixir.value == "1.10.4"
    # CI's exact OTP patch widens to its major (bytepack: otp-version 23.0.2).
    otp = Hint("otp", "23.0.2", ".github/workflows/main.yml (otp-version)")
    assert _choose(VersionEvidence(hints=(otp,))).otp.value.startswith("23.")


def test_stated_versions_no_image_comes_near_give_way_entirely() -> None:
    hint = Hint("elixir", "9.9.9", "Dockerfile (FROM elixir:9.9.9)")
    choice = _choose(VersionEvidence(hints=(hint,)))
    assert choice.elixir.value == images.DEFAULT_BUILD.elixir
    assert "choosing as if it stated nothing" in choice.warnings[0]


def test_describe_names_the_source_and_the_cap() -> None:
    version = Version(
        "23.3.4.17", "newest OTP", ("plug_crypto 1.0.0 in mix.lock uses :crypto.hmac",)
    )
    assert version.describe() == (
        "23.3.4.17 (newest OTP; capped: plug_crypto 1.0.0 in mix.lock uses :crypto.hmac)"
    )


DISTILLERY_CONFIG = """
use Distillery.Releases.Config, default_release: :default, default_environment: Mix.env()

environment :dev do
  set dev_mode: true
  set include_erts: false
end

environment :prod do
  set include_erts: %s
end

release :ledger do
  set version: current_version(:ledger)
end
"""


def test_distillery_include_erts_is_read_for_prod_only() -> None:
    from kubenative.project import config_files

    assert config_files.distillery_includes_erts(DISTILLERY_CONFIG % "true", "rel/config.exs")
    assert not config_files.distillery_includes_erts(DISTILLERY_CONFIG % "false", "rel/config.exs")
    release_level = "release :x do\n  set include_erts: false\nend\n"
    assert not config_files.distillery_includes_erts(release_level, "rel/config.exs")
