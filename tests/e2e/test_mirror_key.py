"""A Hex mirror that signs with its own key (`mix hex.registry build`), given to
`kubenative build --hex-mirror URL --hex-mirror-key FILE`.

Mix checks the list of Hex builds it installs (`installs/hex-1.x.csv` and its `.signed`
signature, SHA-512 with RSA) against the public keys it knows; Hex checks the registry against
the repository's public key. The test makes an RSA key with openssl, signs the lists of Hex and
rebar builds the way Hex's release process does (`openssl dgst -sha512 -sign KEY LIST | openssl
base64`), and serves them with a stand-in Hex archive (one task, `hex.repo`, that records what it
is asked) and a stand-in rebar3 from a local HTTP server the build reaches over the host network.
The builder stage is built with the exact build arguments `kubenative build --dry-run` prints:

- with the key, `mix local.hex` and `mix local.rebar` accept the signed lists and install the
  builds (the key is among Mix's public keys), and Hex is told the key for the hexpm repository
  (`mix hex.repo set hexpm --public-key`);
- without it, `mix local.hex` refuses the list ("could not verify authenticity").

Not proven here: Hex verifying a real registry with that key (no real Hex archive can be built
here; the stand-in only records the call Hex's own `hex.repo set` implements).
"""

from __future__ import annotations

import base64
import hashlib
import io
import shlex
import subprocess
import uuid
import zipfile
from pathlib import Path

from .conftest import Engine, git_commit, kubenative_build
from .test_mirrors import hex_project, serve

# A stand-in for Hex's `mix hex.repo`: records its arguments and the key file it is given.
FAKE_HEX_REPO = """defmodule Mix.Tasks.Hex.Repo do
  use Mix.Task

  @impl true
  def run(args) do
    home = System.get_env("HEX_HOME") || Path.expand("~/.hex")
    File.mkdir_p!(home)
    key = args |> List.last() |> File.read!()
    File.write!(Path.join(home, "repo-set.txt"), Enum.join(args, " ") <> "\\n" <> key)
  end
end
"""


def _openssl(*args: str) -> bytes:
    return subprocess.run(["openssl", *args], capture_output=True, check=True).stdout


def _signed(body: bytes, key: Path, tmp: Path) -> bytes:
    listing = tmp / f"list-{uuid.uuid4().hex}.csv"
    listing.write_bytes(body)
    return base64.encodebytes(_openssl("dgst", "-sha512", "-sign", str(key), str(listing)))


def _hex_archive(engine: Engine, tmp: Path) -> bytes:
    """hex-9.9.9.ez: a zip of hex-9.9.9/ebin/ with the stand-in task, compiled by the builder."""
    source = tmp / "fake_hex"
    source.mkdir()
    (source / "fake_hex.ex").write_text(FAKE_HEX_REPO)
    engine.run("run", "--rm", "-v", f"{source}:/w", "-w", "/w", engine.builder_image,
               "elixirc", "fake_hex.ex")  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for beam in source.glob("*.beam"):
            archive.write(beam, f"hex-9.9.9/ebin/{beam.name}")
    return buffer.getvalue()


def _mirror_tree(engine: Engine, private: Path, tmp: Path) -> dict[str, bytes]:
    hex_ez = _hex_archive(engine, tmp)
    rebar = b"#!/bin/sh\necho rebar 3.99.0 stand-in\n"
    hex_list = f"9.9.9,{hashlib.sha512(hex_ez).hexdigest()},1.0.0\n".encode()
    rebar_list = f"3.99.0,{hashlib.sha512(rebar).hexdigest()},1.0.0\n".encode()
    return {
        "/installs/hex-1.x.csv": hex_list,
        "/installs/hex-1.x.csv.signed": _signed(hex_list, private, tmp),
        "/installs/1.0.0/hex-9.9.9.ez": hex_ez,
        "/installs/rebar3-1.x.csv": rebar_list,
        "/installs/rebar3-1.x.csv.signed": _signed(rebar_list, private, tmp),
        "/installs/1.0.0/rebar3-3.99.0": rebar,
    }


def _builder_build(printed: str, tag: str) -> list[str]:
    """The build `kubenative build --dry-run` printed, for the builder stage only, tagged."""
    argv = shlex.split(printed)
    keep: list[str] = []
    skip = False
    for word in argv:
        if skip:
            skip = False
            continue
        if word == "-t":
            skip = True
            continue
        keep.append(word)
    assert keep[:2] == ["docker", "build"], keep
    return [*keep[1:-1], "--target", "builder", "-t", tag, keep[-1]]


def test_a_mirror_signed_with_its_own_key_is_trusted_with_the_key_only(
    engine: Engine, tmp_path: Path
) -> None:
    path = hex_project(engine, tmp_path)
    dockerfile = (path / "Dockerfile").read_text()
    assert "mix local.public_keys /tmp/hex_mirror.pem --force" in dockerfile
    git_commit(path)
    private = tmp_path / "mirror_private.pem"
    _openssl("genrsa", "-out", str(private), "2048")
    # The form `mix hex.registry build` writes its public_key in (PKCS#1).
    public = tmp_path / "public_key"
    _openssl("rsa", "-in", str(private), "-RSAPublicKey_out", "-out", str(public))
    assert public.read_text().startswith("-----BEGIN RSA PUBLIC KEY-----")
    tag = f"kn-e2e/mirror-key-{uuid.uuid4().hex[:10]}"
    try:
        with serve(_mirror_tree(engine, private, tmp_path)) as mirror:
            base = ("--image", tag, "--cache", "none", "--network", "host", "--dry-run")
            with_key = kubenative_build(
                path, *base, "--hex-mirror", mirror.url, "--hex-mirror-key", str(public)
            )
            assert with_key.returncode == 0, with_key.stderr
            # One command (the key's lines are inside its quotes).
            argv = _builder_build(with_key.stdout, tag)
            assert f"HEX_MIRROR_KEY={public.read_text().strip()}" in argv
            accepted = engine.run(*argv, "--progress=plain", check=False)
            assert accepted.returncode == 0, accepted.stderr[-3000:]
            paths = [request for request, _ in mirror.requests]
            assert "/installs/1.0.0/hex-9.9.9.ez" in paths, paths
            assert "/installs/1.0.0/rebar3-3.99.0" in paths, paths

            without = kubenative_build(path, *base, "--hex-mirror", mirror.url)
            refused = engine.run(*_builder_build(without.stdout, f"{tag}-nokey"), check=False)
        assert refused.returncode != 0
        assert "could not verify authenticity" in refused.stderr, refused.stderr[-3000:]

        shell = ("run", "--rm", "--entrypoint", "/bin/sh", tag, "-c")
        keys = engine.run(*shell, "mix local.public_keys").stdout
        assert "* hex_mirror.pem" in keys, keys
        recorded = engine.run(*shell, "cat ~/.hex/repo-set.txt").stdout
        assert recorded.startswith("set hexpm --public-key /tmp/hex_mirror.pem\n"), recorded
        assert recorded.split("\n", 1)[1].strip() == public.read_text().strip()
        leftover = engine.run(*shell, "ls /tmp/hex_mirror.pem", check=False)
        assert leftover.returncode != 0  # removed once Mix and Hex have it
    finally:
        engine.run("rmi", "-f", tag, check=False)
