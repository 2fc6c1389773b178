"""`inspect`, `inspect --json`, `init` and the Dockerfile header give one answer, and every image
tag kubenative writes was published (or stated in full by the project itself)."""

from __future__ import annotations

import json

import pytest

from kubenative import app
from kubenative.catalog import images, node, releases
from kubenative.options import Options
from kubenative.plan import make_plan
from kubenative.plan.versions import Versions
from kubenative.project.constraints import Constraint

from .conftest import GOLDEN
from .test_golden import GENERATED, _app, _overrides
from .test_plan import project


def _emitted(versions: Versions, options: dict[str, object]) -> list[str]:
    """The image references the Dockerfile names that kubenative chose (not overrides)."""
    found = []
    if "builder_image" not in options:
        found += [versions.builder, versions.runtime]
    if versions.node_image and "node_image" not in options:
        found.append(versions.node_image)
    return found


def _published_or_stated(reference: str, versions: Versions) -> bool:
    stated = versions.origin == "stated" and reference in (versions.builder, versions.runtime)
    return stated or images.published(reference)


@pytest.mark.parametrize("name", GENERATED)
def test_inspect_init_and_the_header_agree(name: str) -> None:
    scenario = GOLDEN / name
    overrides = _overrides(scenario)
    generated = app.generate(str(scenario / "project"), overrides)
    versions = generated.plan.versions
    assert versions is not None
    dockerfile = next(p.text for p in generated.files if p.path.endswith("Dockerfile"))
    # the header says what inspect says, word for word
    for line in versions.header():
        assert f"#   {line}\n" in dockerfile
    # inspect --json (with the options init used) carries the same object
    inspected = generated.inspected.to_json()
    assert inspected["versions"] == versions.to_json()
    assert (inspected["elixir"], inspected["otp"]) == (versions.elixir.value, versions.otp.value)
    assert inspected["node"] == (versions.node.value if versions.node else None)
    if not overrides:  # plain `kubenative inspect` solves with the same (default) options
        assert app.inspect(str(scenario / "project"), _app(scenario)).to_json() == inspected
    # the images are the ones solved for
    args = dict(
        line.removeprefix("ARG ").split("=", 1)
        for line in dockerfile.splitlines()
        if line.startswith("ARG ") and "_IMAGE=" in line
    )
    if "builder_image" not in overrides:
        assert args["BUILDER_IMAGE"].split("@")[0] == versions.builder
    for reference in _emitted(versions, overrides):
        assert _published_or_stated(reference, versions), f"{name}: {reference} never published"
    json.dumps(inspected)  # serialisable


def _pin(tool: str, version: str) -> Constraint:
    return Constraint(tool, f"== {version}", False, "pin", ".tool-versions:1", tool, version)  # type: ignore[arg-type]


@pytest.mark.parametrize("family", ["debian", "alpine"])
def test_every_tag_an_exact_or_partial_pin_can_reach_was_published(family: str) -> None:
    """Pins of every Elixir release and OTP line kubenative knows, alone and together."""
    pins: list[tuple[Constraint, ...]] = []
    for elixir in releases.newest_elixir_patches():
        line = Constraint("elixir", f"~> {releases.minor(elixir)}.0", False, "pin", "p", "e")
        pins.append((line,))
        pins.append((_pin("elixir", elixir),))
    for otp in releases.newest_otp_patches():
        if (int(otp.split(".")[0])) >= 21:
            pins.append((_pin("otp", otp),))
    for build in images.builds(family):  # type: ignore[arg-type]
        pins.append((_pin("elixir", build.elixir), _pin("otp", build.otp)))
    for found in pins:
        plan = make_plan(project(constraints=found), Options(os=family))
        assert plan.versions is not None
        for reference in _emitted(plan.versions, {}):
            assert images.published(reference), f"{found}: {reference}"


def test_every_node_version_a_pin_can_reach_was_published() -> None:
    for version in node.newest_first()[::7]:
        for release in ("stretch", "bullseye-20260803", "trixie-20260803", "3.22.5"):
            family = "alpine" if release[0].isdigit() else "debian"
            image = node.image(version, family, release)
            assert image is None or images.published(image), image
