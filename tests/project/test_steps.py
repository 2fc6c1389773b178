"""Steps follow their tools: what each step of an asset build runs, followed through the
package.json scripts, Mix aliases, shell files and Makefiles it calls (issue 16)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kubenative.project import assets, shell, steps


def _read(path: Path, root: Path) -> str:
    return path.read_text()


def _follower(
    root: Path,
    aliases: dict[str, dict[str, tuple[str, ...]]] | None = None,
    children: tuple[str, ...] = (),
    warnings: list[str] | None = None,
) -> steps.Follower:
    return steps.Follower(
        steps.Project(root, _read, aliases or {}, children),
        warnings if warnings is not None else [],
    )


def _package(root: Path, folder: str, scripts: dict[str, str], **extra: object) -> None:
    (root / folder).mkdir(parents=True, exist_ok=True)
    (root / folder / "package.json").write_text(json.dumps({"scripts": scripts, **extra}))


def _brief(found: list[steps.Step]) -> list[tuple[str, str, str]]:
    return [(s.tool, s.cwd, s.command) for s in found]


@pytest.mark.parametrize(
    ("entry", "folder", "command"),
    [
        ("cmd --cd assets npm run deploy", "assets", "npm run deploy"),
        ("cmd npm --prefix assets run deploy", "assets", "npm run deploy"),
        ("cmd npm run deploy --prefix ./assets", "assets", "npm run deploy"),
        ("cmd cd assets && yarn deploy", "assets", "yarn deploy"),
        ("cmd --cd assets node build.js --deploy", "assets", "node build.js --deploy"),
        ("cmd pnpm --dir assets run build", "assets", "pnpm run build"),
        ("cmd --shell cd assets && CI=true pnpm run build", "assets", "CI=true pnpm run build"),
    ],
)
def test_node_steps_of_an_alias(tmp_path: Path, entry: str, folder: str, command: str) -> None:
    follower = _follower(tmp_path, {".": {"assets.deploy": (entry, "phx.digest")}})
    assert _brief(follower.alias("assets.deploy", ".") or []) == [
        ("node", folder, command),
        ("mix", ".", "mix phx.digest"),
    ]


def test_installs_in_an_alias_are_left_to_the_frontend_stage(tmp_path: Path) -> None:
    entries = ("cmd --cd assets npm ci", "cmd --cd assets yarn", "esbuild default --minify")
    found = _follower(tmp_path, {".": {"assets.deploy": entries}}).alias("assets.deploy", ".")
    # The install needs Node: the alias is never run whole in the releaser, its task is.
    assert _brief(found or []) == [("mix", ".", "mix esbuild default --minify")]
    assert found and found[0].needs == ("node_modules",)


def test_a_mix_only_alias_runs_as_the_project_wrote_it(tmp_path: Path) -> None:
    entries = ("tailwind default --minify", "esbuild default --minify", "phx.digest")
    found = _follower(tmp_path, {".": {"assets.deploy": entries}}).alias("assets.deploy", ".")
    assert _brief(found or []) == [("mix", ".", "mix assets.deploy")]
    assert found and found[0].needs == ("node_modules",)  # esbuild resolves imports there


def test_an_umbrella_childs_alias_runs_in_its_folder(tmp_path: Path) -> None:
    follower = _follower(tmp_path, {"apps/web": {"assets.deploy": ("cmd --cd assets npm run x",)}})
    found = follower.alias("assets.deploy", "apps/web")
    assert _brief(found or []) == [("node", "apps/web/assets", "npm run x")]


def test_an_npm_script_that_calls_mix_is_a_mix_step(tmp_path: Path) -> None:
    # `deploy` runs `cd .. && mix assets.deploy`: Mix, which the Node image does not have; the
    # alias runs a Node script of its own and esbuild (BanchanArt/banchan's shape).
    _package(
        tmp_path,
        "assets",
        {
            "deploy:css": "cross-env NODE_ENV=production postcss css/app.css -o ../x.css",
            "deploy": "cd .. && mix assets.deploy && rm -rf _build/esbuild",
        },
    )
    aliases = {
        ".": {
            "assets.deploy": (
                "cmd --cd assets npm install",
                "cmd --cd assets npm run deploy:css",
                "esbuild default --minify",
                "phx.digest",
            )
        }
    }
    found = _follower(tmp_path, aliases).commands("npm run deploy", "assets", "x", "script")
    assert _brief(found) == [
        ("node", "assets", "npm run deploy:css"),
        ("mix", ".", "mix esbuild default --minify"),
        ("mix", ".", "mix phx.digest"),
        ("mix", ".", "rm -rf _build/esbuild"),  # a shell step goes with the step before it
    ]
    assert found[0].origin == "assets/package.json script `deploy:css`"


def test_a_mixed_script_is_split_at_the_tool_boundary(tmp_path: Path) -> None:
    _package(
        tmp_path,
        "assets",
        {"deploy": "webpack -p && cp -r static ../priv && cd .. && mix phx.digest"},
    )
    found = _follower(tmp_path).commands("npm run deploy", "assets", "x", "script")
    assert _brief(found) == [
        ("node", "assets", "webpack -p"),
        ("node", "assets", "cp -r static ../priv"),
        ("mix", ".", "mix phx.digest"),
    ]
    assert found[0].bin_path  # a package's program, run as npm runs it: on PATH


def test_a_pure_node_script_stays_one_step_with_its_hooks(tmp_path: Path) -> None:
    _package(tmp_path, "assets", {"prebuild": "rimraf out", "build": "vite build"})
    found = _follower(tmp_path).commands("npm run build", "assets", "x", "script")
    assert _brief(found) == [("node", "assets", "npm run build")]


def test_a_release_alias_that_runs_npm_is_split_and_releases_past_the_alias(
    tmp_path: Path,
) -> None:
    _package(tmp_path, "assets", {"deploy": "webpack --mode production"})
    aliases = {".": {"release": ("cmd npm run deploy --prefix ./assets", "phx.digest", "release")}}
    found = _follower(tmp_path, aliases).alias("release", ".") or []
    assert _brief(found) == [
        ("node", "assets", "npm run deploy"),
        ("mix", ".", "mix phx.digest"),
        ("mix", ".", "mix release"),
    ]
    assert found[-1].direct


def test_a_node_step_after_a_mix_step_needs_the_compiled_project(tmp_path: Path) -> None:
    # A Node build after `mix compile` (surface's generated hooks) reads what Mix wrote; after
    # esbuild/tailwind/phx.digest alone it does not.
    aliases = {
        ".": {
            "assets.deploy": ("compile", "cmd --cd assets node build.js", "phx.digest"),
            "assets.build": ("tailwind default", "cmd --cd assets node build.js"),
        }
    }
    follower = _follower(tmp_path, aliases)
    late = follower.alias("assets.deploy", ".") or []
    assert [s.needs for s in late] == [(), ("compiled",), ()]
    early = follower.alias("assets.build", ".") or []
    assert [s.needs for s in early] == [("node_modules",), ()]


def test_umbrella_root_runs_the_childrens_aliases(tmp_path: Path) -> None:
    aliases = {
        ".": {"release": ("cmd --cd assets npm install", "assets.deploy", "release")},
        "apps/web": {"assets.deploy": ("cmd --cd assets npm run build", "phx.digest")},
    }
    found = _follower(tmp_path, aliases, ("apps/core", "apps/web")).alias("release", ".") or []
    # `cmd` at an umbrella's root runs in every child; the install is dropped either way.
    assert _brief(found) == [
        ("node", "apps/web/assets", "npm run build"),
        ("mix", "apps/web", "mix phx.digest"),
        ("mix", ".", "mix release"),
    ]


def test_a_shell_script_and_a_make_target_are_followed(tmp_path: Path) -> None:
    _package(tmp_path, "assets", {"build": "webpack"})
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "assets.sh").write_text(
        "#!/bin/sh\nset -e\ncd assets\nyarn run build\ncd ..\nmix phx.digest\n"
    )
    (tmp_path / "Makefile").write_text(
        "assets: deps\n\t./scripts/assets.sh\ndeps:\n\tmix deps.get\n"
    )
    found = _follower(tmp_path).commands("make assets", ".", "Dockerfile:9", "deploy")
    assert _brief(found) == [
        ("mix", ".", "mix deps.get"),
        ("mix", ".", "set -e"),
        ("node", "assets", "yarn run build"),
        ("mix", ".", "mix phx.digest"),
    ]


def test_a_program_kubenative_cannot_place_is_one_warning(tmp_path: Path) -> None:
    warnings: list[str] = []
    follower = _follower(tmp_path, {".": {"assets.deploy": ("cmd stripe listen",)}}, (), warnings)
    assert follower.alias("assets.deploy", ".") == []
    assert warnings == [
        "mix.exs alias `assets.deploy`: kubenative cannot tell which tool `stripe` needs (not "
        "Mix, Node or a shell utility); that step is left out of the build"
    ]


def test_a_package_program_outside_a_script_is_node_when_package_json_depends_on_it(
    tmp_path: Path,
) -> None:
    _package(tmp_path, ".", {}, devDependencies={"webpack-cli": "4"})
    found = _follower(tmp_path).commands("webpack -p", ".", "compile", "deploy")
    assert _brief(found) == [("node", ".", "webpack -p")]


def test_an_alias_that_calls_itself_through_a_script_stops_with_a_warning(tmp_path: Path) -> None:
    _package(tmp_path, "assets", {"deploy": "cd .. && mix assets.deploy"})
    warnings: list[str] = []
    aliases = {".": {"assets.deploy": ("cmd --cd assets npm run deploy",)}}
    found = _follower(tmp_path, aliases, (), warnings).alias("assets.deploy", ".")
    assert _brief(found or []) == [("mix", ".", "mix assets.deploy")]
    assert warnings == [
        "mix.exs alias `assets.deploy` calls itself through other aliases or scripts: not followed"
    ]


def test_shell_text_is_split_into_commands_with_their_folders() -> None:
    found = shell.split(
        "cd $phoenix_dir\nNODE_ENV=production npm --prefix ./assets run build 2>&1 || true\n"
        'mix "${phoenix_ex}.digest"',
        "assets",
        {"phoenix_dir": "@root/.", "phoenix_ex": "phx"},
    )
    assert [(c.cwd, c.text, c.fallback) for c in found] == [
        (".", "NODE_ENV=production npm --prefix ./assets run build 2>&1", False),
        (".", "true", True),
        (".", "mix phx.digest", False),
    ]
    assert found[0].assignments == ("NODE_ENV=production",)


def test_an_alias_of_a_task_the_dockerfile_runs_that_runs_node_is_a_warning(
    tmp_path: Path,
) -> None:
    follower = _follower(tmp_path, {".": {"compile": ("cmd --cd assets npm run build", "compile")}})
    assert assets.shadowed_tasks(follower, (".",)) == [
        "mix.exs alias `compile` runs `npm run build` (Node), and the Dockerfile runs `mix "
        "compile` where there is no Node: move that step into `assets.deploy`, which kubenative "
        "splits between its stages"
    ]
