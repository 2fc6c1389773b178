"""Pins: the ``[pins]`` table round trip, the plan using them, init keeping them, and
`pin` / `pin --check` with a resolver standing in for the registry."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from kubenative import app
from kubenative import options as options_file
from kubenative.cli import main
from kubenative.errors import UserError
from kubenative.options import Options

from .conftest import EXAMPLE

OLD = "sha256:" + "1" * 64
NEW = "sha256:" + "2" * 64
BUILDER = "mirror.example/elixir:1.16"
RUNTIME = "mirror.example/debian:bookworm-slim"
FLAGS = {"builder_image": BUILDER, "runtime_image": RUNTIME, "node_image": "mirror.example/node:20"}


def test_pins_round_trip(tmp_path: Path) -> None:
    opts = Options(port=4001, pins=(("z.example/b:1", OLD), ('a "quoted"\\ref', NEW))).validate()
    text = options_file.dump(opts)
    assert text.index("[pins]") > text.index("port = 4001")
    lines = text.splitlines()
    assert lines[lines.index("[pins]") + 1].startswith('"a \\"quoted\\"\\\\ref"')  # sorted
    (tmp_path / options_file.OPTIONS_FILE).write_text(text)
    loaded = options_file.load(tmp_path)
    assert loaded == Options(port=4001, pins=tuple(sorted(opts.pins)))
    assert options_file.dump(loaded) == text
    assert tomllib.loads(text)["pins"]["z.example/b:1"] == OLD


@pytest.mark.parametrize("body", ['pins = "x"', '[pins]\n"a:1" = "sha256:12"'])
def test_bad_pins_are_user_errors(tmp_path: Path, body: str) -> None:
    (tmp_path / options_file.OPTIONS_FILE).write_text(body + "\n")
    with pytest.raises(UserError, match="pin"):
        options_file.load(tmp_path)


def _args(project: Path) -> dict[str, str]:
    lines = (project / "Dockerfile").read_text().splitlines()
    return dict(line[4:].split("=", 1) for line in lines if line.startswith("ARG ") and "=" in line)


@pytest.fixture
def project(copy_project: Callable[[Path], Path]) -> Path:
    path = copy_project(EXAMPLE)
    for name in ("Dockerfile", ".dockerignore", ".kubenative.toml"):
        (path / name).unlink(missing_ok=True)
    assert not app.init(str(path), FLAGS).refused
    return path


def test_plan_pins_exact_references_only(project: Path) -> None:
    generated = app.generate(str(project), {"pins": ((BUILDER, OLD), ("other:1", NEW))})
    images = {arg: image for arg, image, _ in generated.plan.images}
    assert images["BUILDER_IMAGE"] == f"{BUILDER}@{OLD}"
    assert images["RUNTIME_IMAGE"] == RUNTIME


def test_pin_writes_pins_and_init_keeps_them(project: Path) -> None:
    digests = {BUILDER: OLD, RUNTIME: NEW, FLAGS["node_image"]: OLD}
    resolved, result = app.pin(str(project), digests.__getitem__)
    assert [r.image for r in resolved] == [BUILDER, FLAGS["node_image"], RUNTIME]
    assert "Dockerfile" in result.written and ".kubenative.toml" in result.written
    args = _args(project)
    assert args["BUILDER_IMAGE"] == f"{BUILDER}@{OLD}"
    assert args["RUNTIME_IMAGE"] == f"{RUNTIME}@{NEW}"
    saved = options_file.load(project).pins
    assert dict(saved) == digests

    again = app.init(str(project), {"port": 4010})
    assert ".kubenative.toml" in again.written
    assert options_file.load(project).pins == saved
    assert _args(project)["RUNTIME_IMAGE"] == f"{RUNTIME}@{NEW}"
    assert all(p.state.value == "current" for p in app.check(str(project)).files)


def test_pin_replaces_stale_pins(project: Path) -> None:
    app.pin(str(project), lambda image: OLD)
    app.init(str(project), {"runtime_image": "mirror.example/debian:trixie-slim"})
    assert "@" not in _args(project)["RUNTIME_IMAGE"]
    resolved, _ = app.pin(str(project), lambda image: NEW)
    pins = dict(options_file.load(project).pins)
    assert RUNTIME not in pins and pins["mirror.example/debian:trixie-slim"] == NEW
    assert {r.image: r.moved for r in resolved}[BUILDER] is True


def test_pin_refuses_a_hand_edited_dockerfile(project: Path) -> None:
    dockerfile = project / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text() + "# mine\n")
    _, result = app.pin(str(project), lambda image: OLD)
    assert [p.path for p in result.refused] == ["Dockerfile"]
    assert options_file.load(project).pins == ()
    assert dockerfile.read_text().endswith("# mine\n")


def test_pin_check_reports_moved_tags(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    app.pin(str(project), lambda image: OLD)
    now = {BUILDER: NEW}
    monkeypatch.setattr(app, "_registry_resolver", lambda: lambda image: now.get(image, OLD))
    assert main(["pin", "--check", str(project)]) == 1
    err = capsys.readouterr().err
    assert f"{BUILDER} moved: pinned {OLD}, now {NEW}; run kubenative pin" in err
    assert RUNTIME not in err
    now.clear()
    assert main(["pin", "--check", str(project)]) == 0
    assert f"ok: {RUNTIME} still {OLD}" in capsys.readouterr().out


def test_pin_leaves_digest_references_alone(project: Path) -> None:
    by_hand = f"{RUNTIME}@{OLD}"
    app.init(str(project), {"runtime_image": by_hand})
    asked: list[str] = []

    def resolve(image: str) -> str:
        asked.append(image)
        return NEW

    resolved, _ = app.pin(str(project), resolve)
    assert by_hand not in asked and RUNTIME not in asked
    assert [r.image for r in resolved] == [BUILDER, FLAGS["node_image"]]
    assert _args(project)["RUNTIME_IMAGE"] == by_hand


def test_pin_cli_refuses_a_hand_edited_dockerfile(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app, "_registry_resolver", lambda: lambda image: OLD)
    dockerfile = project / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text() + "# mine\n")
    assert main(["pin", str(project)]) == 1
    assert "Dockerfile edited by hand; no pin saved" in capsys.readouterr().err
    assert main(["pin", "--force", str(project)]) == 0
    assert f"pinned {BUILDER}@{OLD}" in capsys.readouterr().out
    assert dict(options_file.load(project).pins)[BUILDER] == OLD
