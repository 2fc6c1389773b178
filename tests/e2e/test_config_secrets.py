"""Config that git ignores reaches the build as a BuildKit secret, and no layer.

The fixture `secret_config` imports `config/prod.secret.exs` from `prod.exs`, and its
`.gitignore` excludes the file, as Phoenix <= 1.5 generated it. The test writes the file, commits
the project (git leaves the file out) and builds with `kubenative build`, which passes the file
as the secret the Dockerfile mounts into every Mix step that evaluates config:

- the build works and the values are in the release: the app answers with the greeting the
  release's config holds and the signature compiled into a module (`Application.compile_env`);
- the file itself is in no layer of any stage: `docker save` of the runtime image and of each
  intermediate stage (`--target`) holds no entry of that name and not a byte of a marker that
  only the file holds (its values are in the release by design: Mix evaluates config at build);
- a changed file reruns the steps it feeds (the digest argument) and the app answers with the
  new values, while an unchanged one keeps every step cached;
- without the file the build stops with one line naming it, before docker runs.
"""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from ..conftest import REPO
from .conftest import Engine, git_commit, http_get, kubenative_build, start

FIXTURE = REPO / "tests" / "e2e" / "fixtures" / "secret_config"
SECRET_ID = "config_prod_secret_exs"


def _write_secret(path: Path, greeting: str, signature: str, marker: str) -> Path:
    secret = path / "config" / "prod.secret.exs"
    secret.write_text(
        "import Config\n\n"
        f"# {marker}: a line only this file holds\n"
        f'config :secret_config, greeting: "{greeting}", signature: "{signature}"\n'
    )
    return secret


def _layer_entries(engine: Engine, image: str, tmp: Path) -> Iterator[tuple[str, bytes, list[str]]]:
    """Every blob of ``docker save IMAGE``: its name, its bytes (gunzipped) and, for a layer
    tarball, the paths it holds."""
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
            names: list[str] = []
            if data[257:262] == b"ustar":
                with tarfile.open(fileobj=io.BytesIO(data)) as layer:
                    names = layer.getnames()
            yield member.name, data, names
    archive.unlink()


def test_an_ignored_secret_config_is_mounted_compiled_in_and_in_no_layer(
    engine: Engine, tmp_path: Path, container: list[str]
) -> None:
    path = engine.copy_project(FIXTURE, tmp_path / "secret_config")
    marker = f"kn-secret-file-{uuid.uuid4().hex}"
    greeting, signature = f"hello-{uuid.uuid4().hex[:8]}", f"sig-{uuid.uuid4().hex[:8]}"
    secret = _write_secret(path, greeting, signature, marker)
    engine.init(path)
    dockerfile = (path / "Dockerfile").read_text()
    assert dockerfile.count(f"--mount=type=secret,id={SECRET_ID},") >= 3
    git_commit(path)
    files = subprocess.run(["git", "ls-files"], cwd=path, capture_output=True, text=True)
    assert "config/prod.exs" in files.stdout and "prod.secret.exs" not in files.stdout

    image = f"kn-e2e/secret-config-{uuid.uuid4().hex[:10]}"
    built = kubenative_build(path, "--image", image, "--cache", "none")
    assert built.returncode == 0, built.stderr[-3000:]
    tag = built.stdout.split("built ", 1)[1].split(" ")[0].rstrip(",")
    targets = {"runtime": tag}
    try:
        _, url = start(engine, container, tag)
        assert http_get(f"{url}/") == (200, f"greeting={greeting}; signature={signature}")

        # Every intermediate stage, built with the same secret (from the cache).
        for stage in ("builder", "deps", "releaser"):
            targets[stage] = f"{image}:{stage}"
            engine.run(
                "build",
                "--target",
                stage,
                "--secret",
                f"id={SECRET_ID},src={secret}",
                "-t",
                targets[stage],
                str(path),
            )
        for stage, ref in targets.items():
            layers = 0
            for blob, data, names in _layer_entries(engine, ref, tmp_path):
                assert marker.encode() not in data, f"the secret file is in {stage} blob {blob}"
                stubs = [n for n in names if n.rsplit("/", 1)[-1] == "prod.secret.exs"]
                assert not stubs, f"{stubs} in {stage} blob {blob}"
                layers += bool(names)
            assert layers >= 2, f"no layer tarballs in docker save of {stage}"

        # The same file again: nothing reruns. A changed one: the steps it feeds rerun, and
        # the release has the new values.
        again = kubenative_build(path, "--image", image, "--cache", "none", "--json")
        assert again.returncode == 0, again.stderr[-3000:]
        ran = {s["name"]: s["ran"] for s in json.loads(again.stdout)["stages"]}
        assert set(ran) >= {"deps", "releaser", "runtime"} and not any(ran.values()), ran
        greeting2 = f"changed-{uuid.uuid4().hex[:8]}"
        _write_secret(path, greeting2, signature, marker)
        args = ("--image", image, "--cache", "none", "--latest", "--json")
        changed = kubenative_build(path, *args)
        assert changed.returncode == 0, changed.stderr[-3000:]
        ran = {s["name"]: s["ran"] for s in json.loads(changed.stdout)["stages"]}
        assert ran["builder"] == 0 and ran["deps"] >= 1 and ran["releaser"] >= 2, ran
        engine.run("rm", "-f", *container, check=False)
        container.clear()
        _, url = start(engine, container, f"{image}:latest")
        assert http_get(f"{url}/") == (200, f"greeting={greeting2}; signature={signature}")

        # Without the file: one line naming it, and no build.
        secret.unlink()
        missing = kubenative_build(path, "--image", image, "--cache", "none")
        assert missing.returncode == 1
        assert missing.stderr.strip().splitlines()[-1] == (
            f"kubenative: error: {path}/config/prod.secret.exs is missing: the project's config "
            f"imports it and the Dockerfile mounts it as the build secret `{SECRET_ID}`, so Mix "
            f"stops without it; create it, or pass it with --secret id={SECRET_ID},src=FILE"
        )
        assert "#1 " not in missing.stderr  # BuildKit never started
    finally:
        engine.run("rm", "-f", *container, check=False)
        container.clear()
        engine.run("rmi", "-f", *targets.values(), f"{image}:latest", check=False)
