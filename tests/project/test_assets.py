"""The asset pipeline reader on the shapes real projects write (issue 10)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from kubenative.options import Options
from kubenative.plan import make_plan
from kubenative.project import assets, config_files
from kubenative.project.model import App, Assets

from ..test_plan import project


def _read(path: Path, root: Path) -> str:
    return path.read_text()


def _project(tmp_path: Path, package: dict[str, object], files: dict[str, str]) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "package.json").write_text(json.dumps(package))
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return tmp_path


def test_scripts_in_package_json_order_and_hooks_for_yarn_berry() -> None:
    scripts = {"watch": "x", "deploy:js": "a", "deploy:css": "b", "build": "c"}
    assert assets._scripts(scripts, "npm", False) == ("deploy:js", "deploy:css")
    hooks = {"prebuild": "p", "build": "b", "postbuild": "q"}
    assert assets._scripts(hooks, "npm", False) == ("build",)  # npm runs the hooks itself
    assert assets._scripts(hooks, "yarn", True) == ("prebuild", "build", "postbuild")
    assert assets._run("pnpm", "build") == "pnpm --config.enable-pre-post-scripts=true run build"


def test_lock_decides_the_manager_and_pnpm_version(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {"scripts": {"deploy": "vite build"}},
        {"assets/pnpm-lock.yaml": "lockfileVersion: '9.0'\n", "assets/vite.config.js": ""},
    )
    found = assets.read_assets(
        root, App("shop", ".", True), {}, frozenset(), [], _read, claims_root=True
    )
    assert found is not None
    assert (found.pipeline, found.manager, found.commands) == (
        "pnpm",
        "pnpm@9",
        ("pnpm --config.enable-pre-post-scripts=true run deploy",),
    )


def test_yarn_berry_is_told_by_its_lock(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {"scripts": {"build": "webpack"}},
        {"assets/yarn.lock": "__metadata:\n  version: 8\n", "assets/.yarnrc.yml": ""},
    )
    found = assets.read_assets(
        root, App("shop", ".", True), {}, frozenset(), [], _read, claims_root=True
    )
    assert found is not None and found.yarn_berry and found.install_files == (".yarnrc.yml",)


def test_tailwind_content_and_source_lines_outside_the_folder(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {"scripts": {"deploy": "tailwindcss"}, "dependencies": {"phoenix": "file:../deps/phoenix"}},
        {
            "assets/tailwind.config.js": 'module.exports = {content: ["./js/**/*.js", '
            '"../lib/**/*.heex", "../priv/static/x.js", "https://example.invalid/a"]}',
            "assets/css/app.css": '@import "tailwindcss";\n@source "../../extra";\n',
            "lib/shop_web/page.html.heex": "",
            "extra/x.ex": "",
        },
    )
    found = assets.read_assets(
        root, App("shop", ".", True), {}, frozenset(), [], _read, claims_root=True
    )
    assert found is not None
    assert found.reads == ("extra", "lib")  # priv/static is output, never an input
    assert found.deps_refs == ("phoenix",)
    mixed = assets.read_assets(
        root,
        App("shop", ".", True),
        {"assets.deploy": ("tailwind default --minify", "cmd --cd assets npm run deploy")},
        frozenset({"tailwind"}),
        [],
        _read,
        claims_root=True,
    )
    # With the tailwind Mix package, Tailwind's config is Mix's (in the releaser, beside lib/).
    assert mixed is not None and mixed.reads == () and mixed.tools == ("tailwind",)


def test_config_facts() -> None:
    source = (
        "import Config\n"
        'config :esbuild, version: "0.17.11", path: System.get_env("MIX_ESBUILD_PATH")\n'
        'config :tailwind, version: "3.4.3", path: "/usr/local/bin/tailwindcss"\n'
        'config :shop, ShopWeb.Endpoint, cache_static_manifest: "priv/static/cache_manifest.json"\n'
    )
    assert config_files.tool_paths(source, "config/config.exs") == {
        "esbuild": "MIX_ESBUILD_PATH",
        "tailwind": "",
    }
    assert config_files.cache_manifest_apps(source, "config/prod.exs") == ("shop",)


def test_a_manifest_nothing_writes_is_one_warning_without_phoenix() -> None:
    item = Assets("shop", "assets", None, output="priv/static", manifest="config/prod.exs")
    plain = project(assets=(item,), apps=(App("shop", ".", False),))
    warnings = make_plan(plain, Options()).warnings
    assert sum("cache_static_manifest" in w for w in warnings) == 1
    phoenix = project(assets=(item,), apps=(App("shop", ".", True),))
    assert "RUN mix phx.digest" in "\n".join(
        " ".join((s.op, *s.args)) for st in make_plan(phoenix, Options()).stages for s in st.steps
    )


def test_a_bundler_reading_the_whole_deps_folder_takes_it_from_the_deps_stage(
    tmp_path: Path,
) -> None:
    root = _project(
        tmp_path,
        {"scripts": {"deploy": "node build.js"}},
        {"assets/build.js": 'require("esbuild").build({nodePaths: ["../deps"]})', "deps/x": ""},
    )
    found = assets.read_assets(
        root, App("shop", ".", True), {}, frozenset(), [], _read, claims_root=True
    )
    assert found is not None and found.deps_refs == ("*",) and found.reads == ()
    text = "\n".join(
        " ".join((s.op, *s.flags, *s.args))
        for st in make_plan(project(assets=(found,)), Options()).stages
        for s in st.steps
    )
    assert "COPY --from=deps /app/deps /app/deps" in text


def test_a_vite_alias_outside_the_folder_is_an_input(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {"scripts": {"build": "vite build"}},
        {
            "assets/vite.config.mjs": "import path from 'node:path';\n"
            "export default { resolve: { alias: { '@shared': "
            "path.resolve(__dirname, '../shared/js') } },\n"
            "  build: { outDir: '../priv/static/assets' } };\n",
            "shared/js/util.js": "",
        },
    )
    found = assets.read_assets(
        root, App("shop", ".", True), {}, frozenset(), [], _read, claims_root=True
    )
    assert found is not None and found.reads == ("shared/js",)  # outDir is output, not input


def test_a_production_script_under_another_name_is_named_not_run(tmp_path: Path) -> None:
    # changelog.com (Phoenix 1.4): the webpack production build is the `compile` script.
    package = {
        "scripts": {
            "start": "webpack --mode=development --watch-stdin --color",
            "compile": "webpack --mode=production -p",
            "test": "mocha",
        }
    }
    root = _project(tmp_path, package, {"assets/package-lock.json": "{}"})
    warnings: list[str] = []
    found = assets.read_assets(
        root, App("site", ".", True), {}, frozenset(), warnings, _read, claims_root=True
    )
    assert found is not None and found.commands == ()
    assert warnings == [
        "assets/package.json has no `deploy`, `deploy:*`, `build` or `build:*` script, no Mix "
        "alias runs one and no deploy file of the project (Dockerfile, buildpack compile "
        "script, Procfile) names one: the frontend stage installs packages only; `compile` "
        "(webpack --mode=production -p) looks like the production build: name it `deploy`, or add "
        '`"deploy": "npm run compile"`, and kubenative runs it'
    ]


def test_a_script_the_bun_mix_step_runs_is_not_built_twice(tmp_path: Path) -> None:
    # livebook: `assets.build: ["bun assets run build"]` runs package.json's `build` itself.
    package = {"scripts": {"build": "bun build.js --deploy", "format": "prettier -w ."}}
    root = _project(tmp_path, package, {"assets/bun.lock": "{}"})
    found = assets.read_assets(
        root,
        App("book", ".", True),
        {"assets.build": ("bun.install --if-missing", "bun assets run build")},
        frozenset({"bun"}),
        [],
        _read,
        claims_root=True,
    )
    assert found is not None
    assert found.commands == ()
    assert found.mix_steps == ("bun.install --if-missing", "bun assets run build")
    assert found.pipeline == "mix"


def test_a_digest_by_either_name_is_the_builds_own_and_a_clean_is_not() -> None:
    # phoenix-trello's buildpack compile script runs `mix phoenix.digest` (Phoenix 1.2): no
    # second digest; `phx.digest.clean` removes old files and writes no manifest.
    item = Assets("web", "assets", "npm", output="priv/static")
    assert replace(item, mix_steps=("phoenix.digest",)).digests
    assert replace(item, mix_steps=("phx.digest --no-vsn",)).digests
    assert not replace(item, mix_steps=("phx.digest.clean --all",)).digests
