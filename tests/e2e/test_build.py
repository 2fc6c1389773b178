"""`kubenative build` against the real engine and the local registry, in both cache modes: a cold
build, then a "fresh CI runner" (no local image of the repository, no build cache at all) that
rebuilds after a code change and must find deps and frontend entirely in the registry's cache.
Also: the --dry-run commands run by hand tag the same image, and a failing stage names itself and
leaves no final tag behind.

These tests prune the engine's whole build cache (`docker builder prune -af`); they never rely
on cache from other tests. Both cache modes run on Debian 12 (bookworm) stand-ins; the registry
mode, the one a CI without a persistent builder uses, also runs on Debian 13 (trixie)."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ..conftest import EXAMPLE
from .conftest import Engine, engine_for, kubenative_build

pytestmark = pytest.mark.prunes_build_cache
# (cache mode, Debian release of the stand-ins); each scenario takes that release's engine
SCENARIOS = [("stages", "bookworm"), ("registry", "bookworm"), ("registry", "trixie")]

CODE_FILE = "apps/kube_native/lib/kube_native.ex"


def _git(path: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.email=e2e@kubenative.test", "-c", "user.name=e2e", *args],
        cwd=path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _project(engine: Engine, tmp: Path) -> Path:
    path = engine.copy_project(EXAMPLE, tmp / "kube_native")
    # Base images from the local registry, as a CI runner sees them. (The locally built names
    # would not do: after `docker builder prune -af` the engine no longer holds their compressed
    # layers, and exporting an inline cache then fails with "not found".)
    engine.init(path, remote=True)
    _make_unique(path)
    _git(path, "init", "-q", "-b", "main")
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "-m", "the example")
    return path


def _make_unique(path: Path) -> None:
    """Give the deps and frontend inputs content no other build on this engine has, so the cold
    build is cold even while other builds of the same example fill the engine's cache."""
    marker = uuid.uuid4().hex
    mix = path / "mix.exs"
    mix.write_text(mix.read_text() + f"\n# e2e build {marker}\n")
    package = path / "apps/kube_native_web/assets/package.json"
    data = json.loads(package.read_text())
    data["description"] = f"e2e build {marker}"
    package.write_text(json.dumps(data, indent=2) + "\n")


def _fresh_runner(engine: Engine, repository: str) -> None:
    """What a new CI runner has: no image of the repository and no build cache."""
    listed = engine.run("image", "ls", "--format", "{{.Repository}}:{{.Tag}}", repository)
    refs = [ref for ref in listed.stdout.split() if ref]
    if refs:
        engine.run("rmi", "-f", *refs)
    engine.run("builder", "prune", "-af")


def _tag_exists(registry: str, repository: str, tag: str) -> bool:
    name = repository.removeprefix(registry + "/")
    request = urllib.request.Request(
        f"http://{registry}/v2/{name}/manifests/{tag}",
        method="HEAD",
        headers={"Accept": "application/vnd.oci.image.index.v1+json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10):
            return True
    except urllib.error.HTTPError as err:
        if err.code == 404:
            return False
        raise


@dataclass
class Run:
    seconds: float
    report: dict[str, Any]
    stderr: str


@dataclass
class Scenario:
    mode: str
    engine: Engine
    path: Path
    image: str
    cold: Run
    fresh: Run
    cold_sha: str


def _build(path: Path, image: str, mode: str) -> Run:
    started = time.monotonic()
    proc = kubenative_build(path, "--image", image, "--push", "--cache", mode, "--json")
    seconds = round(time.monotonic() - started, 1)
    assert proc.returncode == 0, proc.stderr
    return Run(seconds, json.loads(proc.stdout), proc.stderr)


@pytest.fixture(scope="module", params=SCENARIOS, ids=["-".join(s) for s in SCENARIOS])
def scenario(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    mode, release = request.param
    engine = engine_for(release)
    path = _project(engine, tmp_path_factory.mktemp(f"build-{mode}-{release}"))
    image = f"{engine.registry}/kn/build-{mode}-{release}-{uuid.uuid4().hex[:8]}"
    _fresh_runner(engine, image)
    cold = _build(path, image, mode)
    cold_sha = _git(path, "rev-parse", "--short", "HEAD").strip()
    fresh = _fresh_runner_after_a_code_change(engine, path, image, mode)
    print(
        f"\nkubenative build --cache {mode} --push: cold {cold.seconds}s, "
        f"fresh runner after a code change {fresh.seconds}s; its stages: {fresh.report['stages']}"
    )
    return Scenario(mode, engine, path, image, cold, fresh, cold_sha)


def _fresh_runner_after_a_code_change(engine: Engine, path: Path, image: str, mode: str) -> Run:
    _fresh_runner(engine, image)
    code = path / CODE_FILE
    code.write_text(code.read_text() + f"\n# a code-only change {uuid.uuid4().hex}\n")
    _git(path, "commit", "-q", "-am", "a code change")
    return _build(path, image, mode)


def _stages(run: Run) -> dict[str, dict[str, Any]]:
    return {stage["name"]: stage for stage in run.report["stages"]}


def test_report_names_the_image_its_tags_and_stages(scenario: Scenario) -> None:
    report = scenario.cold.report
    assert report["image"] == scenario.image
    assert report["tags"] == [f"{scenario.image}:{scenario.cold_sha}"]
    assert report["mode"] == scenario.mode
    assert list(_stages(scenario.cold)) == ["builder", "deps", "frontend", "releaser", "runtime"]
    assert report["size"] > 1_000_000
    assert f"cache mode {scenario.mode}" in scenario.cold.stderr
    assert "deps: " in scenario.cold.stderr  # live progress, one line per stage


def test_fresh_runner_finds_deps_and_frontend_in_the_registry(scenario: Scenario) -> None:
    stages = _stages(scenario.fresh)
    for name in ("deps", "frontend"):
        # From the registry cache, whether BuildKit said CACHED or fetched the layers: no step ran.
        assert stages[name]["total"] > 0
        assert stages[name]["ran"] == 0, stages[name]
        assert stages[name]["cached"] + stages[name]["pulled"] == stages[name]["total"]
    assert stages["releaser"]["ran"] > 0
    sha = _git(scenario.path, "rev-parse", "--short", "HEAD").strip()
    assert _tag_exists(scenario.image.split("/")[0], scenario.image, sha)


def test_the_image_carries_the_commit(scenario: Scenario) -> None:
    engine = scenario.engine
    sha = _git(scenario.path, "rev-parse", "--short", "HEAD").strip()
    label = engine.run(
        "image",
        "inspect",
        "--format",
        '{{index .Config.Labels "org.opencontainers.image.revision"}}',
        f"{scenario.image}:{sha}",
    )
    assert label.stdout.strip() == sha


def test_dry_run_commands_run_by_hand_build_the_same_tags(scenario: Scenario) -> None:
    engine = scenario.engine
    image = f"kn-e2e/build-dry-{uuid.uuid4().hex[:8]}"
    dry = kubenative_build(scenario.path, "--image", image, "--cache", scenario.mode, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    sha = _git(scenario.path, "rev-parse", "--short", "HEAD").strip()
    assert f"-t {image}:{sha}" in dry.stdout
    try:
        shell = subprocess.run(
            ["bash", "-c", "set -e\n" + dry.stdout], capture_output=True, text=True, timeout=900
        )
        assert shell.returncode == 0, shell.stderr[-3000:]
        engine.run("image", "inspect", f"{image}:{sha}")
    finally:
        _fresh_runner_images_only(engine, image)


def _fresh_runner_images_only(engine: Engine, repository: str) -> None:
    listed = engine.run("image", "ls", "--format", "{{.Repository}}:{{.Tag}}", repository)
    refs = [ref for ref in listed.stdout.split() if ref]
    if refs:
        engine.run("rmi", "-f", *refs, check=False)


def test_a_failing_stage_is_named_and_leaves_no_final_tag(scenario: Scenario) -> None:
    engine = scenario.engine
    code = scenario.path / CODE_FILE
    original = code.read_text()
    code.write_text(original + "\ndefmodule KubeNative.Broken do\n  def oops(, do: 1\n")
    try:
        sha = _git(scenario.path, "rev-parse", "--short", "HEAD").strip() + "-dirty"
        proc = kubenative_build(
            scenario.path, "--image", scenario.image, "--push", "--cache", scenario.mode
        )
        assert proc.returncode == 1, proc.stderr
        assert "stage `releaser` failed" in proc.stderr
        assert "mix compile" in proc.stderr
        missing = engine.run("image", "inspect", f"{scenario.image}:{sha}", check=False)
        assert missing.returncode != 0
        assert not _tag_exists(scenario.image.split("/")[0], scenario.image, sha)
    finally:
        code.write_text(original)
