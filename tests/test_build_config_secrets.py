"""`kubenative build` passes the project's secret config files the Dockerfile mounts, with the
digest that reruns the steps they feed, and stops with one line when one is missing (the
commands are built and printed with --dry-run; no daemon)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kubenative.cli import main
from kubenative.docker.config_secrets import FileSecret, file_secrets, pass_secrets
from kubenative.errors import UserError

from .conftest import GOLDEN
from .test_build import _git

PROD = "--mount=type=secret,id=config_prod_secret_exs,target=/app/config/prod.secret.exs"
LOCAL = "--mount=type=secret,id=config_local_secret_exs,target=/app/config/local.secret.exs"
DOCKERFILE = f"""FROM x AS deps
ARG CONFIG_SECRETS_DIGEST
RUN {PROD},required=true mix deps.compile
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
RUN --mount=type=secret,id=hex_api_key mix deps.get
RUN {LOCAL} \\
    {PROD},required=true \\
    mix compile
RUN {PROD} mix release
"""


def test_the_project_files_the_dockerfile_mounts() -> None:
    assert file_secrets(DOCKERFILE) == (
        FileSecret("config_prod_secret_exs", "config/prod.secret.exs", True),
        FileSecret("config_local_secret_exs", "config/local.secret.exs", False),
    )


def _files(root: Path, **files: str) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_a_present_file_is_passed_with_a_digest_of_its_content(tmp_path: Path) -> None:
    _files(tmp_path, **{"config/prod.secret.exs": "import Config\n"})
    passed = pass_secrets(DOCKERFILE, tmp_path, (), dry_run=False)
    assert passed.secrets == (f"id=config_prod_secret_exs,src={tmp_path}/config/prod.secret.exs",)
    (digest,) = passed.build_args
    assert digest.startswith("CONFIG_SECRETS_DIGEST=") and len(digest) == 22 + 64
    same = pass_secrets(DOCKERFILE, tmp_path, (), dry_run=False).build_args
    assert same == passed.build_args  # the same file keeps the cache
    _files(tmp_path, **{"config/prod.secret.exs": "import Config\nconfig :a, b: 1\n"})
    assert pass_secrets(DOCKERFILE, tmp_path, (), dry_run=False).build_args != same
    # The optional file counts once it is there.
    _files(tmp_path, **{"config/local.secret.exs": "import Config\n"})
    both = pass_secrets(DOCKERFILE, tmp_path, (), dry_run=False)
    assert len(both.secrets) == 2 and both.build_args != same


def test_a_missing_required_file_stops_the_build_with_one_line(tmp_path: Path) -> None:
    with pytest.raises(UserError) as caught:
        pass_secrets(DOCKERFILE, tmp_path, (), dry_run=False)
    message = str(caught.value)
    assert "\n" not in message
    assert message == (
        f"{tmp_path}/config/prod.secret.exs is missing: the project's config imports it and the "
        "Dockerfile mounts it as the build secret `config_prod_secret_exs`, so Mix stops "
        "without it; create it, or pass it with --secret id=config_prod_secret_exs,src=FILE"
    )
    # A dry run prints the commands (for a runner that will have the file) and warns.
    passed = pass_secrets(DOCKERFILE, tmp_path, (), dry_run=True)
    assert passed.warnings == (message,)
    assert passed.secrets == (f"id=config_prod_secret_exs,src={tmp_path}/config/prod.secret.exs",)
    assert passed.build_args == ()  # no digest of a file that is not there


def test_the_user_s_own_secret_for_that_id_wins(tmp_path: Path) -> None:
    elsewhere = _files(tmp_path, **{"ci/prod.secret.exs": "import Config\n"}) / "ci"
    given = (f"id=config_prod_secret_exs,src={elsewhere}/prod.secret.exs",)
    passed = pass_secrets(DOCKERFILE, tmp_path / "project", given, dry_run=False)
    assert passed.secrets == ()  # already given: not twice
    assert len(passed.build_args) == 1  # but its digest is passed


def test_without_the_digest_argument_nothing_but_the_secret(tmp_path: Path) -> None:
    _files(tmp_path, **{"config/prod.secret.exs": "import Config\n"})
    text = DOCKERFILE.replace("ARG CONFIG_SECRETS_DIGEST\n", "")
    assert pass_secrets(text, tmp_path, (), dry_run=False).build_args == ()
    assert pass_secrets("FROM x AS a\nRUN true\n", tmp_path, (), dry_run=False).secrets == ()


def test_build_passes_the_secret_of_the_dockerfile_init_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "vault"
    shutil.copytree(GOLDEN / "secret_untracked" / "project", path)
    assert main(["init", str(path)]) == 0
    _git(path, "init", "-q", "-b", "main")
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "-m", "x")
    capsys.readouterr()
    argv = ["build", str(path), "--image", "reg.test/vault", "--dry-run", "--cache", "none"]
    assert main(argv) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert f"--secret id=config_prod_secret_exs,src={path}/config/prod.secret.exs" in line
    assert "--build-arg CONFIG_SECRETS_DIGEST=" in line
    (path / "config" / "prod.secret.exs").unlink()
    assert main(argv) == 0  # a dry run warns
    assert "config/prod.secret.exs is missing" in capsys.readouterr().err
    assert main([*argv[:-1], "stages"]) == 0
    capsys.readouterr()
    assert main([a for a in argv if a != "--dry-run"]) == 1  # a real build stops first
    (line,) = capsys.readouterr().err.strip().splitlines()[-1:]
    assert line.startswith("kubenative: error: ") and "prod.secret.exs is missing" in line
