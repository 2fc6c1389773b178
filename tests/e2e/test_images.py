"""Build every fixture with the Dockerfile kubenative writes, run it, and check what matters:
the release answers and its own commands work, it runs as uid 1000, the runtime holds no
toolchain, no source and no planted secret in any layer, and the stage cache holds across
code, assets and runtime-config changes."""

from __future__ import annotations

import gzip
import io
import tarfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kubenative.docker.progress import StageReport, by_stage, parse_plain

from ..conftest import EXAMPLE, REPO
from .conftest import Engine, http_get, start

pytestmark = pytest.mark.every_release  # once on each Debian release's stand-ins


@dataclass(frozen=True)
class Fixture:
    name: str
    source: Path
    release: str
    body: str
    code_file: str
    assets_file: str | None = None
    secret_dirs: tuple[str, ...] = (".", "config")
    # *.secret.exs files committed to git and imported by config: source, so in the releaser.
    committed_secrets: tuple[str, ...] = ()
    # COPY steps of files the release reads at boot: each is one more runtime layer.
    boot_copies: int = 0


FIXTURES = (
    Fixture(
        "umbrella",
        EXAMPLE,
        "kube_native",
        "Hello from KubeNative!",
        "apps/kube_native/lib/kube_native.ex",
        "apps/kube_native_web/assets/js/app.js",
        (".", "config", "apps/kube_native_web", "apps/kube_native_web/config"),
    ),
    Fixture(
        "otp_service",
        REPO / "tests" / "e2e" / "fixtures" / "otp_service",
        "otp_service",
        "Hello from otp_service!",
        "lib/otp_service.ex",
    ),
    # Reads files beyond lib/ the way real projects do (issue 9): a root VERSION from mix.exs,
    # an extra elixirc_paths folder, @external_resource files (README.md, a JSON folder by
    # Path.wildcard), a helper evaluated from config.exs, a committed prod.secret.exs, and a
    # data file at boot. The body names what each read returned. The planted secret goes
    # under priv/config so the committed config/prod.secret.exs stays as it is.
    Fixture(
        "reads_service",
        REPO / "tests" / "e2e" / "fixtures" / "reads_service",
        "reads_service",
        "Reads service 1.2.3; generated/lib; 2 colors; config/helpers.exs; "
        "committed prod.secret.exs; greeting from content/greeting.txt",
        "lib/reads_service.ex",
        secret_dirs=(".", "priv/config"),
        committed_secrets=("config/prod.secret.exs",),
        boot_copies=1,
    ),
)


@dataclass
class Built:
    fixture: Fixture
    engine: Engine
    path: Path
    image: str
    secret: str
    log: str
    stages: list[str] = field(default_factory=list)

    def build(self, *extra: str) -> str:
        proc = self.engine.run(
            "build", "--progress=plain", "-t", self.image, *extra, str(self.path)
        )
        return proc.stderr + proc.stdout

    def rebuild_report(self) -> dict[str, StageReport]:
        return by_stage(parse_plain(self.build().splitlines()))


def _plant_secrets(path: Path, fixture: Fixture, marker: str) -> None:
    for folder in fixture.secret_dirs:
        target = path / folder
        target.mkdir(parents=True, exist_ok=True)
        (target / ".env").write_text(f"DATABASE_URL=postgres://u:{marker}@db/app\n")
        if folder.endswith("config"):
            (target / "prod.secret.exs").write_text(
                f'import Config\nconfig :app, secret_key_base: "{marker}"\n'
            )


EVERY_FIXTURE = pytest.mark.parametrize(
    "built", FIXTURES, indirect=True, ids=[f.name for f in FIXTURES]
)
WITH_ASSETS = pytest.mark.parametrize(
    "built",
    [f for f in FIXTURES if f.assets_file],
    indirect=True,
    ids=[f.name for f in FIXTURES if f.assets_file],
)


@pytest.fixture(scope="module")
def built(
    request: pytest.FixtureRequest, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Built]:
    fixture: Fixture = request.param
    path = engine.copy_project(fixture.source, tmp_path_factory.mktemp(fixture.name) / fixture.name)
    marker = f"KN_PLANTED_SECRET_{uuid.uuid4().hex}"
    _plant_secrets(path, fixture, marker)
    engine.init(path)
    image = f"kn-e2e/{fixture.name}:{uuid.uuid4().hex[:8]}"
    result = Built(fixture, engine, path, image, marker, "")
    result.log = result.build()
    yield result
    engine.run("rmi", "-f", image, f"{image}-releaser", check=False)


@EVERY_FIXTURE
def test_release_answers_http_and_its_commands_work(
    built: Built, engine: Engine, container: list[str]
) -> None:
    name, url = start(built.engine, container, built.image)
    try:
        assert http_get(url + "/") == (200, built.fixture.body)
    except AssertionError:
        logs = engine.run("logs", name, check=False)
        print(logs.stdout, logs.stderr)
        raise
    assert http_get(url + "/health") == (200, "ok")
    release = f"/app/bin/{built.fixture.release}"
    pid = engine.run("exec", name, release, "pid").stdout.strip()
    assert pid.isdigit()
    rpc = engine.run("exec", name, release, "rpc", "IO.puts(:rpc_ok)").stdout
    assert rpc.strip() == "rpc_ok"
    evaluated = engine.run("exec", name, release, "eval", "IO.puts(1 + 1)").stdout
    assert evaluated.strip() == "2"
    crypto = engine.run(
        "exec",
        name,
        release,
        "rpc",
        'IO.puts(Base.encode16(:crypto.hash(:sha256, "kn")))',
    ).stdout
    assert len(crypto.strip()) == 64


@EVERY_FIXTURE
def test_runs_as_uid_1000_not_root(built: Built, engine: Engine, container: list[str]) -> None:
    user = engine.run("image", "inspect", "--format", "{{.Config.User}}", built.image).stdout
    assert user.strip() == "1000:1000"
    name, url = start(built.engine, container, built.image)
    http_get(url + "/health")
    status = engine.run("exec", name, "cat", "/proc/1/status").stdout
    uid_line = next(line for line in status.splitlines() if line.startswith("Uid:"))
    assert uid_line.split()[1:] == ["1000"] * 4


@EVERY_FIXTURE
def test_runtime_holds_no_toolchain_no_source_and_no_package_cache(
    built: Built, engine: Engine
) -> None:
    script = (
        "for c in gcc cc make mix elixir iex erlc node npm git; do command -v $c; done; "
        "find / -xdev \\( -name '*.ex' -o -name mix.exs -o -name mix.lock -o -name package.json"
        " -o -name node_modules -o -name '*.secret.exs' -o -name .env -o -name '*.deb' \\)"
        " -print 2>/dev/null; ls /var/cache/apt/*.bin /var/lib/apt/lists/*_Packages* 2>/dev/null;"
        " true"
    )
    # As root, so that nothing is hidden by permissions (apt's partial/ is root-only).
    shell = ("run", "--rm", "--user", "0", "--entrypoint", "/bin/sh", built.image, "-c")
    found = engine.run(*shell, script)
    assert found.stdout.strip() == ""


def _layers(engine: Engine, image: str, tmp: Path) -> Iterator[tuple[str, bytes]]:
    archive = tmp / "image.tar"
    engine.run("save", "-o", str(archive), image)
    with tarfile.open(archive) as outer:
        for member in outer.getmembers():
            if not member.isfile():
                continue
            handle = outer.extractfile(member)
            assert handle is not None
            data = handle.read()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            yield member.name, data
    archive.unlink()


@EVERY_FIXTURE
@pytest.mark.parametrize("target", ["runtime", "releaser"])
def test_no_planted_secret_in_any_layer(
    built: Built, engine: Engine, tmp_path: Path, target: str
) -> None:
    image = built.image
    if target == "releaser":
        image = f"{built.image}-releaser"
        built.engine.run("build", "--target", "releaser", "-t", image, str(built.path))
    scanned = 0
    for name, data in _layers(engine, image, tmp_path):
        assert built.secret.encode() not in data, f"secret found in {image} blob {name}"
        if data[257:262] == b"ustar":
            with tarfile.open(fileobj=io.BytesIO(data)) as layer:
                for entry in layer.getnames():
                    base = entry.rsplit("/", 1)[-1]
                    committed = entry.removeprefix("app/") in built.fixture.committed_secrets
                    if target == "releaser" and committed:
                        continue
                    assert not base.endswith(".secret.exs"), f"{entry} in {image}"
                    assert base != ".env", f"{entry} in {image}"
            scanned += 1
    assert scanned >= 2, "no layer tarballs found in docker save output"


@EVERY_FIXTURE
def test_the_code_compiles_without_a_warning(built: Built, engine: Engine) -> None:
    """Each toolchain compiles the fixture without a warning (Elixir 1.18 on trixie adds type
    checks that warn where 1.14 did not): a project that builds with --warnings-as-errors
    would otherwise fail on one release only. Compiled again with --force in the releaser
    stage, since the build itself may have taken `mix compile` from the cache."""
    image = f"{built.image}-releaser"
    engine.run("build", "--target", "releaser", "-t", image, str(built.path))
    proc = engine.run(
        "run", "--rm", "--network=none", image, "mix", "compile", "--force", "--warnings-as-errors"
    )  # fmt: skip
    assert "warning" not in (proc.stdout + proc.stderr).lower(), proc.stdout + proc.stderr


def _touch(path: Path, text: str) -> None:
    """Append ``text`` and a marker no earlier run wrote: the engine's build cache outlives a
    test session, so a change made before would come back from the cache."""
    marker = uuid.uuid4().hex
    comment = f"// {marker}" if path.suffix == ".js" else f"# {marker}"
    path.write_text(path.read_text() + text + comment + "\n")


READS_SERVICE = pytest.mark.parametrize(
    "built",
    [f for f in FIXTURES if f.name == "reads_service"],
    indirect=True,
    ids=["reads_service"],
)


@READS_SERVICE
def test_a_revision_passed_as_a_build_argument_reaches_the_version_and_not_deps(
    built: Built, engine: Engine, container: list[str]
) -> None:
    """mix.exs reads APP_REVISION: kubenative declares it as a build argument of the releaser,
    so `--build-arg` reaches the release version and leaves the deps stage cached."""
    image = f"{built.image}-rev"
    proc = engine.run(
        "build",
        "--progress=plain",
        "-t",
        image,
        "--build-arg",
        "APP_REVISION=abc123",
        str(built.path),
    )
    stages = by_stage(parse_plain((proc.stderr + proc.stdout).splitlines()))
    assert stages["deps"].all_cached, stages["deps"]
    try:
        _, url = start(engine, container, image)
        status, body = http_get(f"{url}/")
        assert status == 200
        assert body.startswith("Reads service 1.2.3+abc123;"), body
    finally:
        engine.run("rmi", "-f", image, check=False)


@EVERY_FIXTURE
def test_code_change_keeps_deps_and_frontend_cached(built: Built) -> None:
    _touch(built.path / built.fixture.code_file, "\n# a code-only change\n")
    stages = built.rebuild_report()
    assert stages["deps"].all_cached, stages["deps"]
    if built.fixture.assets_file:
        assert stages["frontend"].all_cached, stages["frontend"]
    assert not stages["releaser"].all_cached


@WITH_ASSETS
def test_assets_change_keeps_deps_cached(built: Built) -> None:
    assert built.fixture.assets_file is not None
    _touch(built.path / built.fixture.assets_file, '\nconsole.log("assets-only change");\n')
    steps = parse_plain(built.build().splitlines())
    stages = by_stage(steps)
    assert stages["deps"].all_cached, stages["deps"]
    frontend = {_command(s.instruction): s.cached for s in steps if s.stage == "frontend"}
    assert frontend["npm ci --no-audit --no-fund"] is True
    assert frontend["npm run deploy"] is False


def _command(instruction: str) -> str:
    """What a ``RUN`` runs, without the word RUN and its mounts (the npmrc secret)."""
    return " ".join(w for w in instruction.split()[1:] if not w.startswith("--mount="))


@EVERY_FIXTURE
def test_runtime_config_change_recompiles_nothing(built: Built) -> None:
    _touch(built.path / "config" / "runtime.exs", "\n# a boot-time config change\n")
    steps = parse_plain(built.build().splitlines())
    cached = {s.instruction: s.cached for s in steps}
    assert cached["RUN mix deps.compile"] is True
    assert cached["RUN mix compile"] is True
    assert by_stage(steps)["deps"].all_cached
