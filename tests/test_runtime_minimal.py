"""The `--runtime` option: slim keeps today's runtime stage, minimal ships scratch + /rootfs."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubenative import cli
from kubenative.cli import arguments
from kubenative.errors import EXIT_USAGE, UsageError
from kubenative.options import Options, dump
from kubenative.plan import make_plan, minimal
from kubenative.project.model import NativeDep
from kubenative.project.native import KNOWN_NATIVE

from .conftest import GOLDEN
from .test_plan import dockerfile, project, stage_text


def test_slim_is_the_default_and_has_no_rootfs_stage() -> None:
    plan = make_plan(project(), Options())
    assert plan.stage_names[-2:] == ("releaser", "runtime")
    assert dockerfile(project()) == dockerfile(project(), runtime="slim")
    text = dockerfile(project())
    assert "FROM ${RUNTIME_IMAGE} AS runtime\n" in text
    assert "busybox" not in text and "scratch" not in text


def test_minimal_collects_into_rootfs_and_ships_it_on_scratch() -> None:
    plan = make_plan(project(), Options(runtime="minimal"))
    assert plan.stage_names[-3:] == ("releaser", "rootfs", "runtime")
    text = dockerfile(project(), runtime="minimal")
    assert "FROM ${RUNTIME_IMAGE} AS rootfs\n" in text
    assert "FROM scratch AS runtime\n" in text
    rootfs = stage_text(text, "rootfs")
    assert "busybox" in rootfs and "libssl3" in rootfs
    assert "COPY --from=releaser /app/_build/prod/rel/shop /app\n" in rootfs
    assert "RUN <<'SCRIPT'\nset -eu\n" in rootfs and "/rootfs/app\nSCRIPT\n" in rootfs
    runtime = stage_text(text, "runtime")
    lines = runtime.splitlines()
    assert lines[1] == "COPY --from=rootfs /rootfs /"
    assert "COPY --from=releaser --chown=1000:1000 /app/_build/prod/rel/shop ./" in lines
    assert "USER 1000:1000" in lines and "EXPOSE 4000" in lines
    assert 'ENTRYPOINT ["/app/bin/shop"]' in lines and 'CMD ["start"]' in lines
    assert "PHX_SERVER=true" in runtime and "LANG=C.UTF-8" in runtime
    assert "apt-get" not in runtime


def test_minimal_adds_the_native_deps_runtime_packages_to_the_rootfs_stage() -> None:
    bcrypt = NativeDep("bcrypt_elixir", KNOWN_NATIVE["bcrypt_elixir"])
    vix = NativeDep("vix", KNOWN_NATIVE["vix"])
    text = dockerfile(project(native_deps=(bcrypt, vix)), runtime="minimal")
    slim = stage_text(dockerfile(project(native_deps=(bcrypt, vix))), "runtime")
    install = next(line for line in slim.splitlines() if "apt-get install" in line)
    for package in install.split("--no-install-recommends ")[1].split():
        assert package in stage_text(text, "rootfs")


def test_the_collection_script_names_the_user_and_every_applet() -> None:
    script = minimal.script(1234)
    assert "@" not in script
    assert "app:x:1234:1234::/app:/bin/sh" in script
    assert "install -d -o 1234 -g 1234 /rootfs/app" in script
    for applet in ("sh", "readlink", "dirname", "sed", "cut", "grep", "od", "awk", "dd"):
        assert applet in minimal.APPLETS
    assert "ldd" in script and "/etc/ssl/certs/ca-certificates.crt" in script
    text = dockerfile(project(), runtime="minimal", user_id=1234)
    assert "USER 1234:1234" in text and "app:x:1234:1234" in text


def test_minimal_on_alpine_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--runtime minimal needs glibc: use --os debian"):
        Options(os="alpine", runtime="minimal").validate()
    with pytest.raises(UsageError, match="--runtime must be one of slim, minimal"):
        Options(runtime="tiny").validate()


def test_cli_saves_the_runtime_and_refuses_alpine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "runtime" in arguments.OPTION_FLAGS
    assert dump(Options(runtime="minimal")).endswith('runtime = "minimal"\n')
    assert "runtime" not in dump(Options())
    source = GOLDEN / "plain_otp" / "project"
    code = cli.main(["init", str(source), "--dry-run", "--os", "alpine", "--runtime", "minimal"])
    assert code == EXIT_USAGE
    assert "--runtime minimal needs glibc: use --os debian" in capsys.readouterr().err
