"""Multi-platform builds without a daemon: the saved platform list, the JIT flag under emulation
in the Dockerfile, the frontend on the build platform, the bake file, BuildKit's per-platform
progress, the per-platform report, manifest lists from a registry, and pins of them."""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from kubenative import app
from kubenative import options as options_file
from kubenative.cli import main
from kubenative.docker import platforms
from kubenative.docker.execute import _Live
from kubenative.docker.progress import by_platform, by_stage, parse_plain
from kubenative.docker.registry import MANIFEST_TYPES, Client, DockerConfig, Manifest
from kubenative.errors import UserError
from kubenative.options import Options
from kubenative.plan import platforms as plan_platforms
from kubenative.render.bake import bake_data

from .conftest import EXAMPLE

INDEX, OCI = MANIFEST_TYPES[0], MANIFEST_TYPES[1]
D1, D2, D3 = ("sha256:" + c * 64 for c in "123")
BOTH = "linux/amd64,linux/arm64"


def test_platforms_are_parsed_saved_without_spaces_and_reloaded(tmp_path: Path) -> None:
    opts = Options(platform="linux/amd64, linux/arm64/v8").validate()
    assert opts.platform == "linux/amd64,linux/arm64/v8"
    assert opts.platform_list == ("linux/amd64", "linux/arm64/v8")
    (tmp_path / options_file.OPTIONS_FILE).write_text(options_file.dump(opts))
    assert 'platform = "linux/amd64,linux/arm64/v8"' in options_file.dump(opts)
    assert options_file.load(tmp_path).platform_list == opts.platform_list


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("arm64", "'arm64' is not a platform; give os/arch"),
        ("linux/amd64,windows/amd64", "windows/amd64 is not a Linux platform"),
        ("linux/amd64,linux/amd64", "linux/amd64 is given twice"),
        ("linux/amd64,", "'' is not a platform"),
    ],
)
def test_bad_platforms_are_one_line(text: str, message: str) -> None:
    with pytest.raises(UserError, match=message) as caught:
        Options(platform=text).validate()
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("otp", "flag", "targets"),
    [
        ("28.3.2", "+JMsingle true", "linux/amd64*|linux/arm64*"),
        ("26.0", "+JMsingle true", "linux/amd64*|linux/arm64*"),
        ("25.3.2.4", "+JPperf map", "linux/amd64*|linux/arm64*"),
        ("24.3.4.17", "+JPperf true", "linux/amd64*"),
    ],
)
def test_the_jit_flag_follows_the_otp_release_and_the_architectures_with_a_jit(
    otp: str, flag: str, targets: str
) -> None:
    arg, run, env = plan_platforms.emulation_steps(otp)
    assert arg.op == "ARG" and arg.args == ("BUILDPLATFORM", "TARGETPLATFORM")
    assert run.args == (
        f'case "$TARGETPLATFORM" in "$BUILDPLATFORM") ;; {targets}) echo "{flag}" ;; esac '
        "> /etc/erl-emulation.args",
    )
    assert env.args == ('ERL_FLAGS="-args_file /etc/erl-emulation.args"',)


@pytest.mark.parametrize("otp", ["23.3.4.17", "22.3", "unknown"])
def test_no_jit_no_flag(otp: str) -> None:
    assert plan_platforms.emulation_steps(otp) == ()


def test_the_case_writes_the_flag_only_when_the_target_is_emulated_and_has_a_jit() -> None:
    (_, run, _) = plan_platforms.emulation_steps("24.3")
    script = run.args[0].replace("/etc/erl-emulation.args", "/dev/stdout")
    cases = {
        ("linux/amd64", "linux/amd64"): "",
        ("linux/arm64", "linux/arm64"): "",
        ("linux/amd64", "linux/arm64"): "",  # OTP 24: no arm64 JIT, the interpreter is fine
        ("linux/arm64", "linux/amd64"): "+JPperf true\n",
        ("", ""): "",  # a builder that sets neither
    }
    for (build, target), wanted in cases.items():
        env = {"BUILDPLATFORM": build, "TARGETPLATFORM": target, "PATH": "/usr/bin:/bin"}
        out = subprocess.run(["sh", "-c", script], env=env, capture_output=True, text=True)
        assert out.stdout == wanted, (build, target)


def test_dockerfile_frontend_on_the_build_platform_flag_in_the_builder_only() -> None:
    generated = app.generate(str(EXAMPLE), {"platform": BOTH})
    text = generated.files[0].text
    assert "FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS frontend" in text
    assert "# Platforms: linux/amd64, linux/arm64: `kubenative build` makes" in text
    stages = {stage.name: stage for stage in generated.plan.stages}
    assert stages["frontend"].platform == "$BUILDPLATFORM"
    assert all(stages[n].platform is None for n in ("builder", "deps", "releaser", "runtime"))
    env = [s for s in stages["builder"].steps if s.op == "ENV" and "ERL_FLAGS" in s.args[0]]
    assert len(env) == 1
    # deps and releaser inherit it from builder; the runtime starts from the runtime image
    assert stages["deps"].base == "builder" and stages["releaser"].base == "deps"
    assert stages["runtime"].base == "${RUNTIME_IMAGE}"
    assert not any("ERL_FLAGS" in " ".join(s.args) for s in stages["runtime"].steps)
    # the flag comes before anything that starts the BEAM
    builder_runs = [s for s in stages["builder"].steps if s.op == "RUN"]
    assert "erl-emulation.args" in builder_runs[0].args[0]
    # without --platform: the same build stages, no platform line
    plain = app.generate(str(EXAMPLE), {}).files[0].text
    assert "# Platforms:" not in plain and "FROM --platform=$BUILDPLATFORM" in plain


def test_minimal_runtime_collects_libraries_by_glob_whatever_the_architecture() -> None:
    text = app.generate(str(EXAMPLE), {"platform": BOTH, "runtime": "minimal"}).files[0].text
    assert "x86_64" not in text and "aarch64" not in text
    assert "/lib/*-linux-gnu/libnss_files.so.2" in text  # each architecture's own triplet


def test_unknown_otp_with_platforms_is_a_warning() -> None:
    overrides = {
        "builder_image": "mirror.example/base/elixir:prod",
        "os_release": "bookworm",
        "platform": BOTH,
    }
    generated = app.generate(str(EXAMPLE), overrides)
    assert any("OTP version is unknown" in w for w in generated.warnings)
    assert "ERL_FLAGS" not in generated.files[0].text


def test_bake_targets_carry_the_platforms() -> None:
    plan = app.generate(str(EXAMPLE), {"platform": BOTH}).plan
    targets = bake_data(plan)["target"]
    assert all(t["platforms"] == ["linux/amd64", "linux/arm64"] for t in targets.values())
    assert all(
        "platforms" not in t for t in bake_data(replace(plan, platforms=()))["target"].values()
    )


MULTI = [
    "#5 [linux/amd64 builder 1/2] FROM reg/elixir@sha256:x",
    "#6 [linux/arm64 builder 1/2] FROM reg/elixir@sha256:x",
    "#5 DONE 0.1s",
    "#6 DONE 0.1s",
    "#7 [linux/amd64 frontend 2/3] RUN npm ci",
    "#7 1.2 added 10 packages",
    "#7 DONE 3.0s",
    "#8 [linux/amd64 builder 2/2] RUN case ...",
    "#8 DONE 0.4s",
    "#9 [linux/arm64 builder 2/2] RUN case ...",
    "#9 0.8 +JPperf map",
    "#9 DONE 1.5s",
    "#10 [linux/amd64 frontend 3/3] RUN npm run deploy",
    "#10 DONE 2.0s",
]


def test_progress_reads_the_platform_of_each_step() -> None:
    steps = parse_plain(MULTI)
    assert [(s.platform, s.stage, s.index) for s in steps if s.index > 1] == [
        ("linux/amd64", "frontend", 2),
        ("linux/amd64", "builder", 2),
        ("linux/arm64", "builder", 2),
        ("linux/amd64", "frontend", 3),
    ]
    per = by_platform(steps)
    assert set(per) == {"linux/amd64", "linux/arm64"}
    assert set(per["linux/arm64"]) == {"builder"}  # the frontend ran once, on the build platform
    assert per["linux/amd64"]["frontend"].ran == 2
    assert by_stage(steps)["builder"].ran == 2  # both platforms' steps, summed


def test_live_progress_tells_each_platforms_stage() -> None:
    seen: list[str] = []
    live = _Live(seen.append, set())
    for line in MULTI:
        live.feed(line)
    assert seen == [
        "builder (linux/amd64): 0/1 steps cached, 0.4s",
        "builder (linux/arm64): 0/1 steps cached, 1.5s",
        "frontend (linux/amd64): 0/2 steps cached, 5.0s",
    ]


def test_per_platform_report_targets_first_then_the_build_platform() -> None:
    found = by_platform(parse_plain(MULTI))
    order = ("builder", "deps", "frontend", "releaser", "runtime")
    arm_only = platforms.per_platform(("linux/arm64",), found, order)
    assert [(p.platform, p.target) for p in arm_only] == [
        ("linux/arm64", True),
        ("linux/amd64", False),  # where the frontend ran
    ]
    both = platforms.per_platform(("linux/amd64", "linux/arm64"), found, order)
    assert [[s.name for s in p.stages] for p in both] == [["builder", "frontend"], ["builder"]]
    single = by_platform(parse_plain(["#4 [deps 1/1] RUN mix deps.get", "#4 DONE 1.0s"]))
    one = platforms.per_platform(("linux/arm64",), single, order)
    assert [(p.platform, [s.name for s in p.stages]) for p in one] == [("linux/arm64", ["deps"])]


def test_registry_digests_and_hints() -> None:
    reports = platforms.per_platform(
        ("linux/amd64", "linux/arm64"), by_platform(parse_plain(MULTI)), ("builder",)
    )
    index = Manifest(D1, INDEX, (("linux/amd64", D2), ("linux/arm64/v8", D3)))

    def images(tag: str) -> tuple[Manifest, list[tuple[str, Manifest]]]:
        assert tag == "reg/app:abc"
        return index, [
            ("linux/amd64", Manifest(D2, OCI, size=10)),
            ("linux/arm64/v8", Manifest(D3, OCI, size=20)),
        ]

    assert platforms.add_registry(reports, "reg/app:abc", images) == index
    assert [(p.digest, p.size) for p in reports] == [(D2, 10), (D3, 20)]
    assert reports[1].to_json()["digest"] == D3
    pushed = platforms.hints(("linux/amd64", "linux/arm64"), "reg/app:abc", True, index)
    assert pushed == [
        f"pushed reg/app:abc as one manifest list ({D1}) of linux/amd64, linux/arm64/v8; "
        "`docker pull --platform linux/arm64 reg/app:abc` takes one platform"
    ]
    loaded = platforms.hints(("linux/amd64", "linux/arm64"), "reg/app:abc", False, None)
    assert "docker run --platform linux/arm64 reg/app:abc" in loaded[0]
    assert platforms.hints(("linux/arm64",), "reg/app:abc", True, index) == []


def test_several_platforms_need_an_image_store_that_holds_them() -> None:
    refused = platforms.unloadable(("linux/amd64", "linux/arm64"), containerd_store=False)
    assert refused is not None
    assert "push it (--push), build one platform to load it (--platform linux/arm64)" in str(
        refused
    )
    assert platforms.unloadable(("linux/amd64", "linux/arm64"), containerd_store=True) is None
    assert platforms.unloadable(("linux/arm64",), containerd_store=False) is None


def test_build_takes_the_saved_platforms(
    copy_project: Callable[[Path], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy_project(EXAMPLE)
    assert not app.init(str(path), {"platform": BOTH}, force=True).refused
    for args in (("init", "-q", "-b", "main"), ("add", "-A"), ("commit", "-q", "-m", "x")):
        subprocess.run(
            ["git", "-c", "user.email=t@t", "-c", "user.name=t", *args], cwd=path, check=True
        )
    base = ["build", str(path), "--image", "reg.test/app", "--dry-run", "--cache", "registry"]
    assert main([*base, "--push"]) == 0
    (command,) = capsys.readouterr().out.splitlines()
    assert f"--platform {BOTH}" in command and command.endswith(f"--push {path}")
    assert main([*base, "--platform", "linux/arm64"]) == 0  # the command line wins
    assert "--platform linux/arm64 " in capsys.readouterr().out


def test_manifest_of_an_index_lists_real_platforms_only() -> None:
    body = {
        "mediaType": INDEX,
        "manifests": [
            {"digest": D2, "platform": {"os": "linux", "architecture": "amd64"}},
            {"digest": D3, "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}},
            {"digest": D1, "platform": {"os": "unknown", "architecture": "unknown"}},
        ],
    }
    from kubenative.docker.registry import parse_manifest

    index = parse_manifest(D1, INDEX, json.dumps(body).encode())
    assert index.is_index and index.platforms == ("linux/amd64", "linux/arm64/v8")
    image = parse_manifest(D2, OCI, json.dumps({"layers": [{"size": 3}, {"size": 4}]}).encode())
    assert not image.is_index and image.size == 7 and image.platforms == ()


class FakeIndexRegistry(BaseHTTPRequestHandler):
    """An open registry serving one multi-platform tag, team/app:multi, and its two images."""

    documents: ClassVar[dict[str, tuple[str, bytes]]] = {}

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        found = self.documents.get(self.path)
        if found is None:
            self.send_response(404)
            self.end_headers()
            return
        kind, body = found
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def index_registry() -> Iterator[str]:
    amd = json.dumps({"mediaType": OCI, "layers": [{"size": 100}]}).encode()
    arm = json.dumps({"mediaType": OCI, "layers": [{"size": 120}, {"size": 5}]}).encode()
    import hashlib

    d_amd, d_arm = ("sha256:" + hashlib.sha256(b).hexdigest() for b in (amd, arm))
    index = json.dumps(
        {
            "mediaType": INDEX,
            "manifests": [
                {"digest": d_amd, "platform": {"os": "linux", "architecture": "amd64"}},
                {"digest": d_arm, "platform": {"os": "linux", "architecture": "arm64"}},
            ],
        }
    ).encode()
    FakeIndexRegistry.documents = {
        "/v2/team/app/manifests/multi": (INDEX, index),
        f"/v2/team/app/manifests/{d_amd}": (OCI, amd),
        f"/v2/team/app/manifests/{d_arm}": (OCI, arm),
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeIndexRegistry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_client_reads_an_index_and_each_platforms_image(
    index_registry: str, tmp_path: Path
) -> None:
    client = Client(DockerConfig.load({"DOCKER_CONFIG": str(tmp_path)}), None, timeout=5)
    index, images = client.platform_images(f"{index_registry}/team/app:multi")
    assert index.is_index and index.platforms == ("linux/amd64", "linux/arm64")
    assert [(p, m.size) for p, m in images] == [("linux/amd64", 100), ("linux/arm64", 125)]
    assert index.digest.startswith("sha256:")  # computed from the body: no digest header here


BUILDER, RUNTIME = "mirror.example/elixir:1.16", "mirror.example/debian:bookworm-slim"
NODE = "mirror.example/node:20"


@pytest.fixture
def pinned_project(copy_project: Callable[[Path], Path]) -> Path:
    path = copy_project(EXAMPLE)
    for name in ("Dockerfile", ".dockerignore", ".kubenative.toml"):
        (path / name).unlink(missing_ok=True)
    flags = {"builder_image": BUILDER, "runtime_image": RUNTIME, "node_image": NODE}
    assert not app.init(str(path), {**flags, "platform": BOTH}).refused
    return path


def test_pin_records_the_index_digest_and_says_which_platforms_it_holds(
    pinned_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = {
        BUILDER: Manifest(D1, INDEX, (("linux/amd64", D2), ("linux/arm64", D3))),
        RUNTIME: Manifest(D2, OCI, size=1),  # one image: the arm64 build gets it too
        NODE: Manifest(D3, INDEX, (("linux/amd64", D1),)),  # runs on the build platform only
    }
    monkeypatch.setattr(app, "_registry_resolver", lambda: answers.__getitem__)
    assert main(["pin", str(pinned_project)]) == 0
    out, err = capsys.readouterr()
    assert f"pinned {BUILDER}@{D1} (manifest list: linux/amd64, linux/arm64)" in out
    assert f"pinned {RUNTIME}@{D2} (one image, not a manifest list)" in out
    assert f"pinned {NODE}@{D3} (manifest list: linux/amd64)" in out
    assert err.splitlines() == [
        f"kubenative: warning: {RUNTIME} is one image, not a manifest list, and the build "
        "targets linux/amd64, linux/arm64 (init --platform): pin a multi-platform tag"
    ]
    saved = options_file.load(pinned_project)
    assert dict(saved.pins)[BUILDER] == D1  # the index's digest, not one platform's


def test_pin_warns_when_the_index_lacks_a_target(
    pinned_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    amd_only = Manifest(D1, INDEX, (("linux/amd64", D2),))
    monkeypatch.setattr(app, "_registry_resolver", lambda: lambda image: amd_only)
    assert main(["pin", str(pinned_project)]) == 0
    warnings = capsys.readouterr().err.splitlines()
    assert (
        f"kubenative: warning: {BUILDER} has no image for linux/arm64 (its manifest list has "
        "linux/amd64): that platform's build will fail"
    ) in warnings
    assert not any(NODE in w for w in warnings)


@pytest.mark.parametrize("mode", ["stages", "registry", "none"])
def test_every_build_command_of_every_mode_gets_the_platform_list(mode: str) -> None:
    from kubenative.docker import build
    from kubenative.gitinfo import GitInfo

    req = build.Request(
        context=Path("app"),
        dockerfile=Path("app/Dockerfile"),
        image="reg.test/app",
        git=GitInfo("abc1234", "main", "main"),
        stages=("builder", "deps", "frontend", "releaser", "runtime"),
        mode=mode,
        push=True,
        platform=BOTH,
    )
    assert req.platforms == ("linux/amd64", "linux/arm64")
    builds = [c.argv for c in build.commands(req) if c.kind == "build"]
    assert builds and all(f"--platform {BOTH}" in " ".join(argv) for argv in builds)
