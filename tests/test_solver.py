"""One solved choice of Elixir, OTP, OS release and Node from the project's constraints."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from kubenative.catalog import images
from kubenative.errors import UserError
from kubenative.options import Options
from kubenative.plan import make_plan, versions_of
from kubenative.plan.versions import Versions
from kubenative.project.constraints import Constraint, Kind, Tool
from kubenative.project.model import Assets

from .test_plan import project


def c(
    tool: Tool, allows: str, kind: Kind, source: str, stated: str = "", **more: Any
) -> Constraint:
    hard = kind in ("requirement", "release", "lock", "engines")
    return Constraint(tool, allows, hard, kind, source, more.pop("why", source), stated, **more)


def solved(*found: Constraint, **options: Any) -> Versions:
    return versions_of(project(constraints=found), Options(**options))


def test_no_constraints_get_the_newest_published_build() -> None:
    chosen = solved()
    assert chosen.builder == "hexpm/elixir:1.20.3-erlang-29.0.5-debian-trixie-20260803-slim"
    assert chosen.runtime == "debian:trixie-20260803-slim"
    assert chosen.elixir.source == "newest published (kubenative default)"
    assert "Elixir 1.20 supports (27-29)" in chosen.otp.source


def test_partial_pins_are_ranges_of_published_versions() -> None:
    chosen = solved(
        c("elixir", ">= 1.15.0 and < 1.16.0", "pin", ".tool-versions:1", "1.15"),
        c("otp", ">= 25.0.0 and < 25.1.0", "pin", ".tool-versions:2", "25.0"),
    )
    assert (chosen.elixir.value, chosen.otp.value) == ("1.15.8", "25.0.4")
    assert images.published(chosen.builder)
    assert not chosen.warnings


def test_an_exact_pin_hexpm_no_longer_builds_takes_its_lines_newest_and_says_so() -> None:
    chosen = solved(
        c("elixir", "== 1.14.5", "pin", ".tool-versions:1", "1.14.5"),
        c("otp", "== 25.3.2.4", "pin", ".tool-versions:2", "25.3.2.4"),
    )
    assert (chosen.elixir.value, chosen.otp.value) == ("1.14.5", "25.3.2.21")
    assert chosen.warnings == (
        ".tool-versions:2: no published image with the rest of the choice has OTP 25.3.2.4 "
        "(.tool-versions:2); building with 25.3.2.21, the nearest that is",
    )


def test_a_pin_that_breaks_a_hard_constraint_loses_naming_both_lines() -> None:
    chosen = solved(
        c("elixir", "== 1.6.6", "pin", ".tool-versions:1", "1.6.6", why="elixir 1.6.6"),
        c("elixir", ">= 1.9.0", "release", "mix.exs:9", why="`releases:` needs Elixir 1.9"),
    )
    assert chosen.elixir.value == "1.20.3"
    assert chosen.warnings == (
        ".tool-versions:1: Elixir 1.6.6 (elixir 1.6.6) is overruled by mix.exs:9: `releases:` "
        "needs Elixir 1.9: no published image has both",
    )


def test_hard_constraints_no_image_meets_are_an_error_naming_each_line() -> None:
    with pytest.raises(UserError) as caught:
        solved(
            c("elixir", ">= 1.9.0", "release", "mix.exs:9", why="releases: needs 1.9"),
            c("elixir", "< 1.9.0", "lock", "mix.lock:4", why="distillery 2.0.14 needs < 1.9"),
        )
    message = str(caught.value)
    assert "mix.exs:9: releases: needs 1.9" in message
    assert "mix.lock:4: distillery 2.0.14 needs < 1.9" in message
    with pytest.raises(UserError, match="use --os debian"):
        solved(c("elixir", "< 1.9.0", "lock", "mix.lock:4"), os="alpine")


def test_lock_caps_keep_the_newest_build_under_them_and_say_so() -> None:
    cap = c("otp", "< 24.0.0", "lock", "mix.lock:9", why="plug_crypto 1.0.0 needs OTP < 24")
    chosen = solved(cap)
    assert chosen.builder == "hexpm/elixir:1.14.5-erlang-23.3.4.20-debian-bullseye-20260803-slim"
    assert (
        chosen.otp.capped
        == chosen.elixir.capped
        == ("mix.lock:9: plug_crypto 1.0.0 needs OTP < 24",)
    )


def test_elixir_before_1_9_builds_on_an_official_debian_image() -> None:
    cap = c("elixir", "< 1.9.0", "lock", "mix.lock:3", why="distillery 2.0.14")
    chosen = solved(cap)
    assert (chosen.builder, chosen.runtime) == ("elixir:1.8.2-slim", "debian:buster-slim")
    assert chosen.archived and chosen.libssl == "libssl1.1"
    article = solved(
        cap,
        c("elixir", "== 1.7.3", "pin", ".tool-versions:1", "1.7.3"),
        c("otp", "== 21.1.1", "pin", ".tool-versions:2", "21.1.1"),
    )
    assert (article.builder, article.runtime) == ("elixir:1.7.3-slim", "debian:stretch-slim")
    assert (article.elixir.value, article.otp.value) == ("1.7.3", "21.1.1")


def test_a_full_tag_the_project_states_is_used_verbatim_even_when_newer_than_the_catalog() -> None:
    image = "hexpm/elixir:1.20.4-erlang-29.1-debian-trixie-20261201-slim"
    stated = [
        c("elixir", "== 1.20.4", "dockerfile", "Dockerfile:3", "1.20.4", image=image),
        c("otp", "== 29.1", "dockerfile", "Dockerfile:3", "29.1", image=image),
    ]
    chosen = solved(*stated)
    assert (chosen.builder, chosen.runtime) == (image, "debian:trixie-20261201-slim")
    assert chosen.origin == "stated" and not chosen.warnings
    # ...unless it breaks a hard constraint
    capped = solved(*stated, c("otp", "< 29.0.0", "lock", "mix.lock:2"))
    assert capped.otp.value.startswith("28.")


def test_os_options_narrow_the_pool() -> None:
    assert solved(os_release="bookworm").os_release == "bookworm-20260803"
    # buster left hexpm's matrix: only the official images carry it
    assert solved(os_release="buster").builder == "elixir:1.13.0-slim"
    with pytest.raises(UserError, match="no builder image on debian forky"):
        solved(os_release="forky")


def _npm() -> Assets:
    return Assets("shop", "assets", "npm", "package-lock.json", "deploy", output="priv/static")


def node(*found: Constraint) -> Versions:
    return versions_of(project(assets=(_npm(),), constraints=found), Options())


def test_node_is_the_newest_lts_meeting_the_lock() -> None:
    assert node().node_image == "node:26.7.0-trixie-slim"
    sass = c("node", ">= 10.0.0 and < 16.0.0", "lock", "assets/package-lock.json:40")
    chosen = node(sass)
    assert chosen.node is not None and chosen.node.value == "14.21.3"
    assert chosen.node_image == "node:14.21.3-bullseye-slim"


def test_node_sass_3_needs_the_node_of_its_day() -> None:
    sass = c("node", "< 8.0.0", "lock", "assets/package-lock.json:40")
    chosen = node(sass)
    assert chosen.node_image == "node:6.17.1-stretch-slim"  # the newest LTS line below 8
    assert chosen.node_archived


def _old_gyp(**more: Any) -> Assets:
    gyp = ("3.8.0", "assets/yarn.lock:120")
    return replace(_npm(), native_modules=True, node_gyp=gyp, **more)


def test_an_old_node_gyp_keeps_node_on_a_release_that_packages_python_2() -> None:
    # node-gyp < 5.0.5 runs only Python 2: bookworm and trixie have none, bullseye does
    chosen = versions_of(project(assets=(_old_gyp(),)), Options())
    assert chosen.node_image == "node:26.7.0-bullseye-slim" and chosen.node_release == "bullseye"
    assert not chosen.warnings
    newer = replace(_old_gyp(), node_gyp=("5.0.5", "assets/yarn.lock:120"))
    assert versions_of(project(assets=(newer,)), Options()).node_release == "trixie"
    # Alpine's last python2 is in 3.15, and no Node 22 image is on one: a warning says so
    pin = c("node", ">= 22.0.0 and < 23.0.0", "pin", ".nvmrc:1", "22", why="22")
    alpine = versions_of(project(assets=(_old_gyp(),), constraints=(pin,)), Options(os="alpine"))
    assert alpine.node is not None and alpine.node.value.startswith("22.")
    assert alpine.warnings == (
        "assets/yarn.lock:120: node-gyp 3.8.0 runs only Python 2 (node-gyp supports Python 3 "
        "from 5.0.5), and no published Node image the other constraints allow is on an OS "
        "release that packages it (Alpine up to 3.15): a native module that must compile fails "
        "to install; update what brings that node-gyp (node-sass 5+, or sass instead of "
        "node-sass), or pass --node-image with Python 2 in it",
    )


def test_node_pin_loses_to_the_lock_and_engines_conflict_is_an_error() -> None:
    sass = c("node", "< 15.0.0", "lock", "assets/package-lock.json:40", why="node-sass 4.14.1")
    pin = c("node", ">= 22.0.0 and < 23.0.0", "pin", ".nvmrc:1", "22", why="22")
    chosen = node(pin, sass)
    assert chosen.node is not None and chosen.node.value.startswith("14.")
    assert "overruled by assets/package-lock.json:40: node-sass 4.14.1" in chosen.warnings[0]
    engines = c("node", ">= 16.0.0", "engines", "assets/package.json:5", why="engines >=16")
    with pytest.raises(
        UserError,
        match=r"package.json:5.*package-lock.json:40|package-lock.json:40.*package.json:5",
    ):
        node(engines, sass)


def test_plan_header_and_inspect_tell_the_same_choice() -> None:
    p = project(constraints=(c("elixir", "== 1.7.3", "pin", ".tool-versions:1", "1.7.3"),))
    plan = make_plan(p, Options())
    assert plan.versions == versions_of(p, Options())
    assert plan.images[0][1] == "elixir:1.7.3-slim"
    assert plan.images[-1][1] == "debian:stretch-slim"
