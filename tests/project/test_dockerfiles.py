"""The project's own Dockerfiles: one list, for the versions they pin and the steps they run."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubenative import files
from kubenative.project import constraints, deploy_files
from kubenative.project.dockerfiles import is_dockerfile_name, own_dockerfiles

DOCKERFILE = "FROM hexpm/elixir:1.16.2-erlang-26.2.5-debian-bookworm-20240612-slim\n"
RUN = "RUN npm run --prefix assets build-production\n"


@pytest.mark.parametrize(
    ("name", "is_one"),
    [
        ("Dockerfile", True),
        ("dockerfile", True),
        ("Dockerfile.prod", True),
        ("Dockerfile.dev-bundle", True),
        ("alpine.Dockerfile", True),
        ("smoke_tests.dockerfile", True),
        ("TurkeyDockerfile", True),
        ("Containerfile", True),
        ("app.containerfile", True),
        ("Dockerfile.md", False),
        ("Dockerfile.dockerignore", False),
        ("dockerfile-lint.yml", False),
        ("build-dockerfile.sh", False),
        ("Dockerfile.orig", False),
        (".dockerignore", False),
        ("docker-compose.yml", False),
    ],
)
def test_which_names_are_dockerfiles(name: str, is_one: bool) -> None:
    assert is_dockerfile_name(name) is is_one


def _tree(root: Path, tree: dict[str, str]) -> None:
    for rel, body in tree.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(body)


def test_the_projects_own_dockerfiles(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "Dockerfile": DOCKERFILE + RUN,
            "Dockerfile.md": "```\n" + DOCKERFILE + "```\n",
            "Dockerfile.dockerignore": "_build\n",
            "deploy/alpine.Dockerfile": DOCKERFILE,
            # an npm package's image and a dependency's, not the project's build
            "assets/Dockerfile": "FROM node:22\nRUN npm run weird-build\n",
            "node_modules/Dockerfile": "FROM node:8\n",
            "deps/Dockerfile": "FROM elixir:1.4\n",
            # kubenative's own output, also below a `# syntax=` line the user put first
            "Dockerfile.kubenative": files.stamp(DOCKERFILE),
            "docker/Dockerfile": "# syntax=docker/dockerfile:1\n" + files.stamp("FROM x\n"),
            # deeper than a folder under the root
            "apps/web/Dockerfile": DOCKERFILE,
            # a dev container: the developers' editor environment (banchan's, from the
            # template whose VARIANT the dev container's settings override)
            ".devcontainer/Dockerfile": 'ARG VARIANT="1.13"\nFROM elixir:${VARIANT}\n' + RUN,
        },
    )
    found = own_dockerfiles(tmp_path, lambda p: p.read_text())
    listed = [p.relative_to(tmp_path).as_posix() for p, _ in found]
    assert listed == ["Dockerfile", "deploy/alpine.Dockerfile"]
    # both readers see exactly those files
    versions = constraints.from_dockerfiles(tmp_path, lambda p: p.read_text())
    assert sorted({c.source.split(":")[0] for c in versions}) == listed
    steps = deploy_files.read(tmp_path)
    assert [c.origin for c in steps] == ["Dockerfile:2"]
