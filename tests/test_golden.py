"""Golden files: each scenario under tests/golden/<name>/ is a project, the `init` options it is
generated with, hand-written expectations of `inspect`, and the expected output files.

Run with KUBENATIVE_CAPTURE=1 to rewrite the expected files for review (`git diff tests/golden`).
"""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

import pytest

from kubenative import app, ignore
from kubenative.cli import arguments
from kubenative.errors import UserError
from kubenative.project.inspect import inspect_project

from .conftest import GOLDEN

SCENARIOS = sorted(p.name for p in GOLDEN.iterdir() if (p / "project").is_dir())
# Scenarios whose project kubenative generates files for (the others are error cases).
GENERATED = [
    name
    for name in SCENARIOS
    if not {"error_contains", "init_error_contains"}
    & set(json.loads((GOLDEN / name / "expect.json").read_text()))
]
CAPTURE = os.environ.get("KUBENATIVE_CAPTURE") == "1"


def _overrides(scenario: Path) -> dict[str, object]:
    """The `init` options of ``args``; with a ``k8s_args`` file, also `kubenative k8s`'s."""
    overrides: dict[str, object] = {}
    for command, name in (("init", "args"), ("k8s", "k8s_args")):
        args_file = scenario / name
        if not args_file.is_file():
            continue
        words = shlex.split(args_file.read_text())
        parsed = arguments.parser().parse_args([command, str(scenario / "project"), *words])
        overrides.update(arguments.overrides(parsed))
    return overrides


def _app(scenario: Path) -> str | None:
    """The poncho app a scenario builds (``--app`` in its args)."""
    app = _overrides(scenario).get("app")
    return str(app) if app is not None else None


def _expect(scenario: Path) -> dict[str, object]:
    return json.loads((scenario / "expect.json").read_text())  # type: ignore[no-any-return]


def test_there_are_enough_scenarios() -> None:
    assert len(GENERATED) >= 12
    assert len(SCENARIOS) > len(GENERATED)  # and error cases


@pytest.mark.parametrize("name", SCENARIOS)
def test_inspect_matches_hand_written_expectations(name: str) -> None:
    scenario = GOLDEN / name
    expect = _expect(scenario)
    if "error_contains" in expect:
        with pytest.raises(UserError) as caught:
            inspect_project(str(scenario / "project"), _app(scenario))
        assert str(expect["error_contains"]) in str(caught.value)
        assert "\n" not in str(caught.value)
        return
    found = app.inspect(str(scenario / "project"), _app(scenario)).to_json()
    if "init_error_contains" in expect:  # inspect works, generating files must not
        with pytest.raises(UserError) as caught:
            app.generate(str(scenario / "project"), _overrides(scenario))
        assert str(expect["init_error_contains"]) in str(caught.value)
        assert "\n" not in str(caught.value)
    for key, value in expect.items():
        if key.startswith("_") or key == "init_error_contains":
            continue
        assert found[key] == value, f"{name}: inspect {key}"


@pytest.mark.parametrize("name", GENERATED)
def test_generated_files_match_golden(name: str) -> None:
    scenario = GOLDEN / name
    generated = app.generate(str(scenario / "project"), _overrides(scenario))
    outputs = {p.path: p.text for p in generated.files}
    outputs["inspect.json"] = json.dumps(generated.inspected.to_json(), indent=2) + "\n"
    expected_dir = scenario / "expected"
    if CAPTURE:
        expected_dir.mkdir(exist_ok=True)
        for rel, text in outputs.items():
            (expected_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / rel).write_text(text)
    for rel, text in outputs.items():
        expected = expected_dir / rel
        assert expected.is_file(), f"missing {expected}; run with KUBENATIVE_CAPTURE=1"
        assert text == expected.read_text(), f"{name}/{rel} differs from golden"


@pytest.mark.parametrize("name", GENERATED)
def test_dockerignore_never_excludes_what_the_dockerfile_copies(name: str) -> None:
    scenario = GOLDEN / name
    generated = app.generate(str(scenario / "project"), _overrides(scenario))
    texts = {p.path: p.text for p in generated.files}
    patterns = [
        line for line in texts[".dockerignore"].splitlines() if line and not line.startswith("#")
    ]
    project = scenario / "project"
    sources = _context_sources(texts["Dockerfile"])
    # A *.secret.exs that git tracks and config imports is source: the only secret let in.
    tracked = set(generated.project.tracked_secrets)
    assert sources, "the Dockerfile copies nothing from the context"
    for source in sources:
        assert (project / source).exists(), f"COPY {source}: not in the project"
        assert not ignore.excluded(source, patterns), f"COPY {source} is excluded"
        if (project / source).is_dir():
            for file in (project / source).rglob("*"):
                rel = file.relative_to(project).as_posix()
                secret = file.name.endswith(".secret.exs") or file.name.startswith(".env")
                if secret and rel not in tracked:
                    assert ignore.excluded(rel, patterns), f"secret {rel} reaches the context"
                elif secret:
                    assert not ignore.excluded(rel, patterns), f"tracked {rel} is excluded"


def _context_sources(dockerfile: str) -> list[str]:
    sources = []
    for line in dockerfile.splitlines():
        words = line.split()
        if not words or words[0] != "COPY" or any(w.startswith("--from=") for w in words):
            continue
        args = [w for w in words[1:] if not w.startswith("--")]
        sources.extend(a.rstrip("/") for a in args[:-1])
    return sources


def test_capture_mode_is_off_in_ci() -> None:
    assert not (CAPTURE and os.environ.get("CI")), "KUBENATIVE_CAPTURE must not run in CI"


def test_scenarios_cover_every_stage_and_family() -> None:
    seen_stages: set[str] = set()
    families: set[str] = set()
    tools: set[str] = set()
    pipelines: set[object] = set()
    for name in SCENARIOS:
        scenario = GOLDEN / name
        if scenario.name not in GENERATED:
            continue
        generated = app.generate(str(scenario / "project"), _overrides(scenario))
        seen_stages.update(generated.plan.stage_names)
        families.add(generated.plan.os_family)
        tools.add(generated.plan.release_tool)
        pipelines.update(a.pipeline for a in generated.project.assets)
    assert seen_stages == {
        "builder",
        "deps",
        "compiled",
        "frontend",
        "releaser",
        "rootfs",
        "runtime",
    }
    assert families == {"debian", "alpine"}
    assert tools == {"mix", "distillery"}
    assert {"npm", "yarn", "pnpm", "mix"} <= pipelines
