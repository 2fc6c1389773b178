"""`--hex-mirror-key`: a Hex mirror that signs with its own key. The key reaches Mix (the signed
install lists, Elixir <= 1.18) and Hex (the registry) through the HEX_MIRROR_KEY build argument;
pure checks of the steps and the arguments (the real check is tests/e2e/test_mirror_key.py)."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest

from kubenative.cli import main
from kubenative.docker import build
from kubenative.errors import UserError
from kubenative.plan.deps import _hex_install

from .conftest import GOLDEN
from .test_build import _git
from .test_plan import dockerfile, project, stage_text

PUBLIC = "-----BEGIN RSA PUBLIC KEY-----\nMIIBCgKCAQEA\n-----END RSA PUBLIC KEY-----\n"


def test_mix_gets_the_key_before_it_installs_hex_and_hex_after() -> None:
    commands = _hex_install("1.16.2")
    assert commands == (
        'if [ -n "$HEX_MIRROR_KEY" ]; then printf \'%s\\n\' "$HEX_MIRROR_KEY" > '
        "/tmp/hex_mirror.pem && mix local.public_keys /tmp/hex_mirror.pem --force; fi",
        "mix local.hex --force",
        "mix local.rebar --force",
        'if [ -n "$HEX_MIRROR_KEY" ]; then mix hex.repo set hexpm --public-key '
        "/tmp/hex_mirror.pem && rm /tmp/hex_mirror.pem; fi",
    )


def test_elixir_1_19_checks_no_signature_so_only_hex_gets_the_key() -> None:
    # Mix 1.19 lists sha512 sums over HTTPS and has no local.public_keys task.
    commands = _hex_install("1.19.5")
    assert commands[:2] == ("mix local.hex --force", "mix local.rebar --force")
    assert "local.public_keys" not in " ".join(commands)
    assert commands[2] == (
        'if [ -n "$HEX_MIRROR_KEY" ]; then printf \'%s\\n\' "$HEX_MIRROR_KEY" > '
        "/tmp/hex_mirror.pem && mix hex.repo set hexpm --public-key /tmp/hex_mirror.pem "
        "&& rm /tmp/hex_mirror.pem; fi"
    )


def test_an_unknown_elixir_asks_mix_whether_it_has_the_task() -> None:
    first = _hex_install("unknown")[0]
    assert (
        "{ ! mix help local.public_keys >/dev/null 2>&1 || "
        "mix local.public_keys /tmp/hex_mirror.pem --force; }"
    ) in first


def test_the_key_argument_is_declared_without_a_default_with_the_other_mirror_settings() -> None:
    builder = stage_text(dockerfile(project()), "builder")
    assert "ARG HEX_MIRROR HEX_BUILDS_URL HEX_CACERTS_PATH HEX_MIRROR_KEY\n" in builder
    assert "HEX_MIRROR_KEY" not in dockerfile(project(hex_deps=False))


def test_the_key_file_becomes_the_build_argument(tmp_path: Path) -> None:
    key = tmp_path / "public_key"
    key.write_text(PUBLIC)
    args = build.build_arguments("http://mirror.test", (), str(key))
    assert args == ("HEX_MIRROR=http://mirror.test", f"HEX_MIRROR_KEY={PUBLIC.strip()}")
    spki = tmp_path / "spki.pem"
    spki.write_text(PUBLIC.replace("RSA PUBLIC", "PUBLIC"))
    assert build.mirror_key(str(spki)).startswith("HEX_MIRROR_KEY=-----BEGIN PUBLIC KEY-----")
    # A public key is no credential: passing it by hand is allowed too.
    assert build.build_arguments(None, (f"HEX_MIRROR_KEY={PUBLIC}",))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-----BEGIN RSA PRIVATE KEY-----\nx\n", "is a private key: give the mirror's public key"),
        ("-----BEGIN PRIVATE KEY-----\nx\n", "is a private key"),
        ("not a key\n", "not a PEM public key"),
    ],
)
def test_a_private_key_or_a_non_key_is_refused(tmp_path: Path, text: str, message: str) -> None:
    key = tmp_path / "key.pem"
    key.write_text(text)
    with pytest.raises(UserError, match=message):
        build.mirror_key(str(key))
    with pytest.raises(UserError, match="cannot read it"):
        build.mirror_key(str(tmp_path / "missing.pem"))


def test_build_passes_the_key_and_warns_without_a_mirror(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hello"
    shutil.copytree(GOLDEN / "phoenix17_esbuild" / "project", path)
    assert main(["init", str(path)]) == 0
    for args in (("init", "-q", "-b", "main"), ("add", "-A"), ("commit", "-q", "-m", "x")):
        _git(path, *args)
    key = tmp_path / "public_key"
    key.write_text(PUBLIC)
    capsys.readouterr()
    argv = ["build", str(path), "--image", "reg.test/hello", "--dry-run", "--cache", "none"]
    assert main([*argv, "--hex-mirror", "http://m.test", "--hex-mirror-key", str(key)]) == 0
    out, err = capsys.readouterr()
    words = shlex.split(out)
    assert words[words.index("--build-arg", words.index("HEX_MIRROR=http://m.test")) + 1] == (
        f"HEX_MIRROR_KEY={PUBLIC.strip()}"
    )
    assert "warning" not in err
    assert main([*argv, "--hex-mirror-key", str(key)]) == 0
    assert "--hex-mirror-key without --hex-mirror" in capsys.readouterr().err
