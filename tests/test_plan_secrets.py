"""Config that git does not hold, as build secrets: the mounts, the digest argument, the warning
and its way out per Elixir and release tool, the bake file (plan and render, no I/O)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kubenative.options import Options
from kubenative.plan import Instruction, make_plan
from kubenative.plan import secrets as plan_secrets
from kubenative.project.model import App, Assets, ConfigSecret, Release
from kubenative.render.bake import render_bake
from kubenative.render.dockerfile import render_dockerfile

from .test_plan import project

SECRET = ConfigSecret("config/prod.secret.exs", "config/prod.exs:9", required=True, present=True)
MOUNT = (
    "--mount=type=secret,id=config_prod_secret_exs,target=/app/config/prod.secret.exs,required=true"
)


def _runs(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("RUN ")]


def test_every_mix_step_after_the_config_gets_the_mount_and_deps_get_does_not() -> None:
    esbuild = Assets(
        "shop",
        "assets",
        "mix",
        alias="assets.deploy",
        mix_steps=("esbuild default --minify", "phx.digest"),
        tools=("esbuild",),
        output="priv/static",
    )
    text = render_dockerfile(
        make_plan(project(config_secrets=(SECRET,), assets=(esbuild,)), Options())
    )
    runs = _runs(text)
    mix_runs = [r for r in runs if " mix " in f" {r} " and "local.hex" not in r]
    assert [r.split(" mix ", 1)[1].split()[0] for r in mix_runs] == [
        "deps.get",
        "deps.compile",
        "esbuild.install",
        "compile",
        "assets.deploy",
        "release",
    ]
    assert MOUNT not in mix_runs[0]  # deps.get: no config in the image yet
    for run in mix_runs[1:]:
        assert run.startswith(f"RUN {MOUNT} "), run
    assert not any(MOUNT in r for r in runs if " mix " not in f" {r} ")
    # The digest argument comes once, right before the first step that evaluates config.
    assert text.count("ARG CONFIG_SECRETS_DIGEST") == 1
    before = text.split("ARG CONFIG_SECRETS_DIGEST")[1].splitlines()[1]
    assert before == f"RUN {MOUNT} mix deps.compile"
    assert "#   --secret id=config_prod_secret_exs,src=config/prod.secret.exs" in text


def test_umbrella_digest_and_distillery_steps_all_get_every_secret() -> None:
    web = ConfigSecret("apps/web/config/prod.secret.exs", "apps/web/config/prod.exs:3", True, True)
    core = ConfigSecret("apps/core/config/prod.secret.exs", "x:1", True, True)
    umbrella = project(
        umbrella=True,
        apps=(App("core", "apps/core", False), App("web", "apps/web", True)),
        release_tool="distillery",
        distillery_version="2.0.14",
        releases=(Release("shop"),),
        compile_config=("apps/core/config/config.exs", "apps/web/config/config.exs"),
        late_config=(),
        config_secrets=(core, web),
        assets=(
            Assets(
                "web",
                "apps/web/assets",
                "npm",
                "package-lock.json",
                commands=("npm run deploy",),
                output="apps/web/priv/static",
                outputs=("apps/web/priv/static",),
            ),
        ),
    )
    text = render_dockerfile(make_plan(umbrella, Options()))
    # Several mounts: a line each.
    both = (
        "--mount=type=secret,id=apps_core_config_prod_secret_exs,"
        "target=/app/apps/core/config/prod.secret.exs,required=true \\\n    "
        "--mount=type=secret,id=apps_web_config_prod_secret_exs,"
        "target=/app/apps/web/config/prod.secret.exs,required=true \\\n   "
    )
    for step in ("mix deps.compile", "mix compile", "cd apps/web && mix phx.digest"):
        assert f"RUN {both} {step}\n" in text, step
    assert f"RUN {both} mix release --env=prod --name=shop --no-tar" in text
    frontend = text.split("AS frontend")[1].split("AS releaser")[0]
    assert "type=secret,id=apps_" not in frontend  # Node never evaluates Mix config


def test_a_conditional_import_mounts_an_optional_secret() -> None:
    optional = replace(SECRET, required=False)
    text = render_dockerfile(make_plan(project(config_secrets=(optional,)), Options()))
    assert (
        "RUN --mount=type=secret,id=config_prod_secret_exs,target=/app/config/prod.secret.exs "
        "mix deps.compile"
    ) in text


def test_a_poncho_app_s_secret_comes_from_its_folder_in_the_context() -> None:
    poncho = project(context_app="web", config_secrets=(SECRET,))
    plan = make_plan(poncho, Options())
    assert plan.config_secrets == (("config_prod_secret_exs", "web/config/prod.secret.exs", True),)
    text = render_dockerfile(plan)
    assert "--secret id=config_prod_secret_exs,src=web/config/prod.secret.exs" in text
    assert f"RUN {MOUNT} mix compile" in text  # mounted where the app is: /app


def test_no_secret_no_mount_no_argument() -> None:
    text = render_dockerfile(make_plan(project(), Options()))
    assert "type=secret,id=config" not in text and "CONFIG_SECRETS_DIGEST" not in text


@pytest.mark.parametrize(
    ("step", "runs"),
    [
        ("mix compile", True),
        ("cd apps/web && mix phx.digest", True),
        ('{ [ -n "$MIX_ESBUILD_PATH" ] || mix esbuild.install; }', True),
        ("(mix release)", True),
        ("npm run deploy", False),
        ("mixer --run", False),
        ("echo remix", False),
    ],
)
def test_runs_mix(step: str, runs: bool) -> None:
    assert plan_secrets.runs_mix(Instruction("RUN", (step,))) is runs
    assert plan_secrets.runs_mix(Instruction("COPY", (step, "."))) is False


@pytest.mark.parametrize(
    ("changes", "elixir", "wanted"),
    [
        ({}, "1.16.2", "read them at boot in config/runtime.exs"),
        ({}, "1.11.0", "read them at boot in config/runtime.exs"),
        ({}, "1.10.4", "config/releases.exs (System.fetch_env!), which mix release"),
        ({}, "1.9.4", "(Elixir 1.9.4 has no config/runtime.exs; it came with 1.11)"),
        ({}, "1.8.2", "Elixir 1.8.2 has no boot-time config of its own"),
        ({}, "unknown", "config/runtime.exs on Elixir 1.11 and later, config/releases.exs on"),
        (
            {"release_tool": "distillery", "distillery_version": "2.0.14"},
            "1.7.3",
            '[{Mix.Releases.Config.Providers.Elixir, ["${RELEASE_ROOT_DIR}/etc/runtime.exs"]}]',
        ),
        (
            {"release_tool": "distillery", "distillery_version": "2.1.1"},
            "1.10.4",
            "[{Distillery.Releases.Config.Providers.Elixir, [",
        ),
        (
            {"release_tool": "distillery", "distillery_version": "1.5.5"},
            "1.6.6",
            'put "${VAR}" placeholders in their place, which Distillery fills from the '
            "environment at boot (the image sets REPLACE_OS_VARS=true) (Distillery 2 adds",
        ),
    ],
)
def test_the_way_out_fits_the_release_tool_and_elixir(
    changes: dict[str, str], elixir: str, wanted: str
) -> None:
    (warning,) = plan_secrets.warnings(project(config_secrets=(SECRET,), **changes), elixir)
    assert wanted in warning
    assert warning.startswith(
        "config/prod.exs:9 imports config/prod.secret.exs, which git does not hold (git ignores "
        "it): it is mounted as the build secret `config_prod_secret_exs` into every Mix step"
    )
    assert "`--secret id=config_prod_secret_exs,src=config/prod.secret.exs`" in warning
    assert "so its values are compiled into the release" in warning
    assert warning.endswith(", and remove the import") and "\n" not in warning


def test_the_warning_uses_the_elixir_the_plan_builds_with() -> None:
    p = project(config_secrets=(SECRET,))
    assert any("config/runtime.exs" in w for w in make_plan(p, Options()).warnings)
    older = make_plan(p, Options(elixir="1.10.4", otp="22.3.4.26"))
    assert any("config/releases.exs" in w for w in older.warnings)


def test_an_absent_optional_secret_and_required_variables_are_said() -> None:
    absent = replace(SECRET, present=False, required=False)
    (warning,) = plan_secrets.warnings(project(config_secrets=(absent,)), "1.16.2")
    assert "(and it is not on this machine: the import is conditional, so Mix goes on)" in warning
    assert "`kubenative build` passes it when it exists" in warning
    assert "the build stops without it" not in warning
    required = replace(SECRET, present=False)
    (warning,) = plan_secrets.warnings(project(config_secrets=(required,)), "1.16.2")
    assert "(and it is not on this machine: create it before you build)" in warning
    needs = replace(SECRET, requires=("DATABASE_URL", "SECRET_KEY_BASE"))
    _, second = plan_secrets.warnings(project(config_secrets=(needs,)), "1.10.4")
    assert second.startswith(
        "config/prod.secret.exs (this machine's copy) requires DATABASE_URL, SECRET_KEY_BASE "
        "while Mix evaluates it"
    )
    assert "config/releases.exs" in second


def test_the_bake_file_passes_required_secrets_and_the_digest() -> None:
    optional = ConfigSecret("config/local.secret.exs", "config/config.exs:3", False, False)
    bake = render_bake(make_plan(project(config_secrets=(SECRET, optional)), Options()))
    assert 'secret     = ["id=config_prod_secret_exs,src=config/prod.secret.exs"]' in bake
    assert "local_secret" not in bake.split("variable")[1]  # optional: not required of bake
    assert bake.count('CONFIG_SECRETS_DIGEST = "${CONFIG_SECRETS_DIGEST}"') == 4
    assert 'variable "CONFIG_SECRETS_DIGEST" {\n  default = ""\n}' in bake
    plain = render_bake(make_plan(project(), Options()))
    assert "secret" not in plain and "CONFIG_SECRETS_DIGEST" not in plain


def test_the_article_app_inspects_and_builds_its_frontend_with_secrets_and_foreground() -> None:
    """Part 1's app (`part-1-distillery` shape): a Phoenix 1.4 umbrella, Distillery 2.0, webpack
    in the web app, each app's prod.secret.exs gitignored."""
    from kubenative import app

    from .conftest import GOLDEN

    generated = app.generate(str(GOLDEN / "article_part1_distillery" / "project"))
    assert generated.project.problems == ()
    text = next(p.text for p in generated.files if p.path == "Dockerfile")
    assert "FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS frontend" in text
    assert "RUN npm run deploy" in text
    for app_name in ("kube_native", "kube_native_web"):
        mount = (
            f"--mount=type=secret,id=apps_{app_name}_config_prod_secret_exs,"
            f"target=/app/apps/{app_name}/config/prod.secret.exs,required=true"
        )
        assert text.count(mount) == 4  # deps.compile, compile, phx.digest, release
    assert 'ENTRYPOINT ["/app/bin/kube_native"]\nCMD ["foreground"]' in text
    copies = [line for line in text.splitlines() if line.startswith("COPY ")]
    assert not any("secret" in line for line in copies)
