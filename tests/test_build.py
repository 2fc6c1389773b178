"""The docker commands of `kubenative build`, built without a daemon; git info; the wrapper."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kubenative import gitinfo
from kubenative.app import generate
from kubenative.cli import main
from kubenative.docker import build, run
from kubenative.docker.execute import _Live
from kubenative.errors import UserError
from kubenative.gitinfo import GitInfo

from .conftest import EXAMPLE

STAGES = ("builder", "deps", "frontend", "releaser", "runtime")


def _request(mode: str, branch: str = "feature-x", **kw: object) -> build.Request:
    return build.Request(
        context=Path("app"),
        dockerfile=Path("app/Dockerfile"),
        image="reg.test:5000/team/app",
        git=GitInfo("abc1234", branch, "main"),
        stages=STAGES,
        mode=mode,
        **kw,  # type: ignore[arg-type]
    )


def test_stage_names_come_from_the_dockerfile() -> None:
    text = (EXAMPLE / "Dockerfile").read_text()
    assert build.stage_names(text) == STAGES
    assert build.stage_names("FROM --platform=$X img AS one\nfrom one as two\nFROM x\n") == (
        "one",
        "two",
    )


def test_stages_mode_builds_each_target_with_every_earlier_stage_as_cache() -> None:
    commands = build.commands(_request("stages", push=True))
    builds = [c for c in commands if c.kind == "build"]
    assert [c.stage for c in builds] == list(STAGES)
    releaser = builds[3].argv
    assert releaser[:3] == ("docker", "build", "--progress=plain")
    assert "--target" in releaser and releaser[releaser.index("--target") + 1] == "releaser"
    assert "BUILDKIT_INLINE_CACHE=1" in releaser
    cache_from = [releaser[i + 1] for i, word in enumerate(releaser) if word == "--cache-from"]
    assert cache_from == [
        f"reg.test:5000/team/app:{stage}-{branch}"
        for stage in STAGES[:4]
        for branch in ("feature-x", "main")
    ]
    assert "GIT_SHA=abc1234" not in releaser
    final = builds[-1].argv
    assert "GIT_SHA=abc1234" in final
    tags = [final[i + 1] for i, word in enumerate(final) if word == "-t"]
    assert tags == ["reg.test:5000/team/app:runtime-feature-x", "reg.test:5000/team/app:abc1234"]
    assert final[-1] == "app"


def test_stages_mode_pushes_only_after_every_build() -> None:
    commands = build.commands(_request("stages", push=True, latest=True))
    kinds = [c.kind for c in commands]
    assert kinds == ["build"] * 5 + ["push"] * 7
    assert commands[-1].argv == ("docker", "push", "reg.test:5000/team/app:latest")
    assert [c.kind for c in build.commands(_request("stages"))] == ["build"] * 5


def test_on_the_default_branch_the_cache_is_imported_once() -> None:
    final = build.commands(_request("stages", branch="main"))[-1].argv
    assert final.count("reg.test:5000/team/app:runtime-main") == 2  # cache-from and tag


def test_registry_mode_is_one_buildx_build_with_a_max_cache() -> None:
    (command,) = build.commands(_request("registry", push=True, platform="linux/arm64"))
    argv = command.argv
    assert argv[:3] == ("docker", "buildx", "build")
    assert "type=registry,ref=reg.test:5000/team/app:buildcache-feature-x,mode=max" in argv
    cache_from = [argv[i + 1] for i, word in enumerate(argv) if word == "--cache-from"]
    assert cache_from == [
        "type=registry,ref=reg.test:5000/team/app:buildcache-feature-x",
        "type=registry,ref=reg.test:5000/team/app:buildcache-main",
    ]
    assert "--push" in argv and "--load" not in argv
    assert argv[argv.index("--platform") + 1] == "linux/arm64"


def test_registry_mode_without_push_loads_and_writes_no_cache() -> None:
    (command,) = build.commands(_request("registry", builder="ci"))
    assert "--load" in command.argv and "--cache-to" not in command.argv
    assert command.argv[3:5] == ("--builder", "ci")


def test_none_mode_is_a_plain_build_then_pushes() -> None:
    commands = build.commands(_request("none", push=True))
    assert [c.kind for c in commands] == ["build", "push"]
    assert "--cache-from" not in commands[0].argv


@pytest.mark.parametrize(
    ("buildx", "driver", "containerd", "mode"),
    [
        (False, None, False, "stages"),
        (True, "docker", False, "stages"),
        (True, "docker", True, "registry"),
        (True, "docker-container", False, "registry"),
        (True, None, True, "stages"),
    ],
)
def test_default_mode(buildx: bool, driver: str | None, containerd: bool, mode: str) -> None:
    chosen, why = build.choose_mode(buildx, driver, containerd)
    assert chosen == mode and why


@pytest.mark.parametrize("image", ["reg/app:1.0", "reg/app@sha256:0", "Reg/App", "", "a b"])
def test_image_must_be_a_lowercase_repository_without_tag(image: str) -> None:
    with pytest.raises(UserError):
        build.validate_image(image)


def test_registry_errors_say_what_to_do() -> None:
    refused = build.registry_error("unexpected status: 401 Unauthorized", "reg.test:5000/a")
    assert str(refused) == "the registry refused the push (401): run docker login reg.test:5000"
    denied = build.registry_error("denied: requested access to the resource is denied", "a/b")
    assert str(denied) == "the registry refused the push (403): run docker login"
    down = build.registry_error("dial tcp 127.0.0.1:5999: connect: connection refused", "x")
    assert down is not None and "unreachable" in str(down)
    assert build.registry_error("npm ERR! something", "x") is None


def test_tag_safe_branch_names() -> None:
    assert gitinfo.tag_safe("feature/Login page") == "feature-Login-page"
    assert gitinfo.tag_safe("-.x") == "x"
    assert gitinfo.tag_safe("///") == "unnamed"
    assert len(gitinfo.tag_safe("a" * 300)) == 100


def _git(path: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@t", "-c", "user.name=t", *args],
        cwd=path,
        check=True,
        capture_output=True,
    )


def test_gitinfo_reads_sha_dirty_and_branch(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("1")
    _git(tmp_path, "init", "-q", "-b", "feat/x")
    _git(tmp_path, "add", "f")
    _git(tmp_path, "commit", "-q", "-m", "one")
    info = gitinfo.read(tmp_path)
    assert len(info.sha) >= 7 and not info.sha.endswith("-dirty")
    assert (info.branch, info.default_branch) == ("feat-x", "main")
    (tmp_path / "f").write_text("2")
    assert gitinfo.read(tmp_path).sha.endswith("-dirty")


def test_gitinfo_outside_a_repository_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="not in a git repository"):
        gitinfo.read(tmp_path)


def test_the_wrapper_names_the_command_code_and_last_lines() -> None:
    argv = (sys.executable, "-c", "print('one'); print('two'); raise SystemExit(4)")
    with pytest.raises(run.CommandFailed) as failed:
        run.run(argv)
    assert failed.value.code == 4
    assert "exited 4" in str(failed.value) and str(failed.value).endswith("one\n  two")
    assert run.run(argv, check=False).output == "one\ntwo\n"


def test_the_streaming_wrapper_yields_lines_then_raises() -> None:
    argv = (sys.executable, "-c", "print('a'); print('b'); raise SystemExit(2)")
    seen = []
    with pytest.raises(run.CommandFailed):
        for line in run.stream(argv):
            seen.append(line)
    assert seen == ["a", "b"]


def test_a_missing_or_stopped_engine_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UserError, match="the Docker engine is not installed"):
        run.run(("/nonexistent/docker", "info"))
    assert run.engine_down("Cannot connect to the Docker daemon at unix:///x. Is the docker")


def test_live_progress_reports_a_stage_when_its_last_step_is_done() -> None:
    seen: list[str] = []
    live = _Live(seen.append, set())
    for line in [
        "#4 [deps 1/2] COPY mix.exs ./",
        "#4 CACHED",
        "#5 [deps 2/2] RUN mix deps.get",
        "#5 0.3 fetching",
    ]:
        live.feed(line)
    assert seen == []
    live.feed("#5 DONE 2.5s")
    assert seen == ["deps: 1/2 steps cached, 2.5s"]


def test_build_without_a_dockerfile_says_run_init(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", str(tmp_path), "--image", "reg/app", "--dry-run"]) == 1
    assert "run kubenative init first" in capsys.readouterr().err


def test_dry_run_prints_pasteable_commands(
    copy_project: Callable[[Path], Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = copy_project(EXAMPLE)
    _git(path, "init", "-q", "-b", "main")
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "-m", "x")
    assert main(["build", str(path), "--image", "reg.test/app", "--dry-run", "--push"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 11
    assert lines[0].startswith("docker build --progress=plain -f ")
    assert lines[-1].startswith("docker push reg.test/app:")


@pytest.mark.parametrize("mode", build.MODES)
def test_mirror_arguments_secrets_and_network_reach_every_build(mode: str) -> None:
    req = _request(
        mode,
        push=True,
        build_args=build.build_arguments("http://mirror.test/hex", ("HEX_BUILDS_URL=http://b",)),
        secrets=("id=npmrc,src=/ci/npmrc",),
        network="host",
    )
    builds = [c.argv for c in build.commands(req) if c.kind == "build"]
    assert builds
    for argv in builds:
        pairs = list(itertools.pairwise(argv))
        assert ("--build-arg", "HEX_MIRROR=http://mirror.test/hex") in pairs
        assert ("--build-arg", "HEX_BUILDS_URL=http://b") in pairs
        assert ("--secret", "id=npmrc,src=/ci/npmrc") in pairs
        assert ("--network", "host") in pairs
        assert argv[-1] == "app"  # options come before the context


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ("HEX_MIRROR", "give NAME=VALUE"),
        ("GIT_SHA=1", "kubenative sets it"),
        ("NPM_TOKEN=abc", "pass credentials with --secret"),
        ("HEX_API_KEY=abc", "pass credentials with --secret"),
    ],
)
def test_build_arguments_refuse_credentials_and_bad_shapes(arg: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        build.build_arguments(None, (arg,))


def test_secrets_need_an_id_and_an_existing_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "npmrc").write_text("//npm.test/:_authToken=x\n")
    assert build.validate_secret(f"id=npmrc,src={tmp_path}/npmrc")
    monkeypatch.setenv("HEX_API_KEY", "k")
    assert build.validate_secret("id=hex_api_key,env=HEX_API_KEY")
    monkeypatch.delenv("HEX_API_KEY")
    specs = ("npmrc", "id=npmrc", f"src={tmp_path}/npmrc", f"id=npmrc,src={tmp_path}/no")
    for spec in (*specs, "id=hex_api_key,env=HEX_API_KEY"):
        with pytest.raises(UserError, match="--secret"):
            build.validate_secret(spec)


def test_a_build_argument_without_an_arg_in_the_dockerfile_is_a_warning() -> None:
    text = "FROM x AS builder\nARG HEX_MIRROR HEX_BUILDS_URL\nARG GIT_SHA=dev\nRUN true\n"
    given = ("HEX_MIRROR=http://m", "GIT_SHA=1", "HEX_CACERTS_PATH=/ca.pem", "https_proxy=x")
    (warning,) = build.undeclared(text, given)
    assert warning.startswith("--build-arg HEX_CACERTS_PATH: the Dockerfile declares no ARG")


def test_dry_run_shows_the_mirror_and_secret(
    copy_project: Callable[[Path], Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = copy_project(EXAMPLE)
    _git(path, "init", "-q", "-b", "main")
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "-m", "x")
    npmrc = tmp_path / "npmrc"
    npmrc.write_text("//npm.test/:_authToken=x\n")
    argv = ["build", str(path), "--image", "reg.test/app", "--dry-run", "--cache", "none"]
    extra = ["--hex-mirror", "http://m", "--secret", f"id=npmrc,src={npmrc}", "--network", "host"]
    assert main([*argv, *extra]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert f"--network host --build-arg HEX_MIRROR=http://m --secret id=npmrc,src={npmrc}" in line
    assert main([*argv, "--build-arg", "NPM_TOKEN=x"]) == 1
    assert "--secret" in capsys.readouterr().err
    # The example has no Hex packages: no step reads HEX_MIRROR, and the user hears of it.
    assert main([*argv, "--hex-mirror", "http://m"]) == 0
    assert "declares no ARG HEX_MIRROR" in capsys.readouterr().err


def test_init_bake_writes_a_stamped_bake_file_that_check_covers(
    copy_project: Callable[[Path], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy_project(EXAMPLE)
    assert main(["init", str(path), "--bake"]) == 0
    text = (path / "docker-bake.hcl").read_text()
    assert text.startswith("# Generated by kubenative (sha256:")
    assert 'target "deps" {' in text and 'targets = ["runtime"]' in text
    assert "mode=max" in text and 'args       = { GIT_SHA = "${GIT_SHA}" }' in text
    assert "bake = true" in (path / ".kubenative.toml").read_text()
    assert main(["check", str(path)]) == 0
    (path / "docker-bake.hcl").write_text(text.replace('"dev"', '"edited"'))
    assert main(["check", str(path)]) == 1
    assert [p.path for p in generate(str(path)).files][-1] == "docker-bake.hcl"
    capsys.readouterr()


def test_bake_is_deterministic_and_orders_targets_like_the_stages() -> None:
    from kubenative.render.bake import bake_data, to_hcl

    plan = generate(str(EXAMPLE)).plan
    data = bake_data(plan)
    assert list(data["target"]) == list(STAGES)
    assert to_hcl(data) == to_hcl(bake_data(plan))
    assert "cache-to" in data["target"]["runtime"] and "cache-to" not in data["target"]["deps"]


@pytest.mark.skipif(shutil.which("docker") is None, reason="needs the docker client")
@pytest.mark.parametrize("cache", ["stages", "registry", None])
def test_a_stopped_engine_is_one_line_in_every_mode(
    copy_project: Callable[[Path], Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    cache: str | None,
) -> None:
    path = copy_project(EXAMPLE)
    _git(path, "init", "-q", "-b", "main")
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "-m", "x")
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-engine.sock")
    args = ["build", str(path), "--image", "reg.test/app"] + (["--cache", cache] if cache else [])
    assert main(args) == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err == f"kubenative: error: {run.ENGINE_DOWN}"
