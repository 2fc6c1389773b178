"""Plan decisions, branch by branch, on Project models built in the test."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from kubenative import ignore
from kubenative.catalog import distros, images
from kubenative.errors import UserError
from kubenative.options import Options
from kubenative.plan import Plan, make_plan
from kubenative.plan.model import Instruction, Stage, check_tools
from kubenative.project.constraints import Constraint
from kubenative.project.model import (
    App,
    Assets,
    NativeDep,
    Project,
    Release,
    Step,
)
from kubenative.project.native import KNOWN_NATIVE, TOOLCHAIN_DEPS
from kubenative.render.dockerfile import render_dockerfile


def project(**changes: Any) -> Project:
    base = Project(
        root="/nowhere",
        name="shop",
        umbrella=False,
        apps=(App("shop", ".", phoenix=True),),
        release_tool="mix",
        releases=(Release("shop"),),
        assets=(),
        native_deps=(),
        git_deps=(),
        hex_deps=True,
        hex_organizations=(),
        database=None,
        port=4000,
        has_lock=True,
        distillery_version=None,
        mix_files=("mix.exs",),
        compile_config=("config/config.exs", "config/prod.exs"),
        late_config=("config/runtime.exs",),
        source_dirs=("lib", "priv"),
        has_rel_dir=False,
    )
    return replace(base, **changes)


def dockerfile(p: Project, **options: Any) -> str:
    return render_dockerfile(make_plan(p, Options(**options)))


def stage_text(text: str, name: str) -> str:
    start = text.index(f" AS {name}\n")
    end = text.find("\nFROM ", start)
    return text[start : end if end != -1 else None]


def test_layer_order_keeps_deps_cached() -> None:
    text = dockerfile(project())
    order = [
        "COPY mix.exs mix.lock ./",
        "RUN mix deps.get --only prod",
        "COPY config/config.exs config/prod.exs config/",
        "RUN mix deps.compile",
        "COPY lib lib",
        "RUN mix compile",
        "COPY config/runtime.exs config/",
        "RUN mix release",
    ]
    positions = [text.index(line) for line in order]
    assert positions == sorted(positions)


def test_hex_and_rebar_only_when_hex_packages_are_used() -> None:
    assert "mix local.hex --force" in dockerfile(project())
    assert "mix local.hex" not in dockerfile(project(hex_deps=False))


def test_no_build_tools_without_native_or_git_deps() -> None:
    builder = stage_text(dockerfile(project()), "builder")
    assert "apt-get" not in builder


def test_native_and_git_deps_bring_their_packages() -> None:
    natives = (
        NativeDep("bcrypt_elixir", KNOWN_NATIVE["bcrypt_elixir"]),
        NativeDep("fast_yaml", KNOWN_NATIVE["fast_yaml"]),
    )
    text = dockerfile(project(native_deps=natives, git_deps=("private_lib",)))
    builder = stage_text(text, "builder")
    assert "build-essential" in builder and "git" in builder and "libyaml-dev" in builder
    assert "libyaml-0-2" in stage_text(text, "runtime")
    alpine = dockerfile(project(native_deps=natives), os="alpine")
    assert "apk add --no-cache build-base yaml-dev" in stage_text(alpine, "builder")


def test_precompiled_rust_nifs_need_no_compiler() -> None:
    needs = dict(TOOLCHAIN_DEPS)["rustler_precompiled"]
    builder = stage_text(
        dockerfile(project(native_deps=(NativeDep("tokenizers", needs),))), "builder"
    )
    assert "build-essential" not in builder and "cargo" not in builder
    needs = dict(TOOLCHAIN_DEPS)["rustler"]
    builder = stage_text(dockerfile(project(native_deps=(NativeDep("my_nif", needs),))), "builder")
    assert "cargo" in builder and "build-essential" in builder


def test_private_hex_organisation_uses_a_build_secret() -> None:
    text = dockerfile(project(hex_organizations=("acme",)))
    assert "RUN --mount=type=secret,id=hex_api_key" in text
    key = '"$(cat /run/secrets/hex_api_key)"'
    assert f"HEX_API_KEY={key} HEX_REPOS_KEY={key} mix deps.get" in text


def test_hex_mirror_arguments_are_declared_without_a_default_where_they_are_read() -> None:
    text = dockerfile(project())
    builder, deps = stage_text(text, "builder"), stage_text(text, "deps")
    # No `=`: an ARG without a value stays out of the RUN's environment and its cache key.
    assert "ARG HEX_MIRROR HEX_BUILDS_URL HEX_CACERTS_PATH HEX_MIRROR_KEY\nRUN " in builder
    assert "ARG HEX_MIRROR HEX_CACERTS_PATH\nRUN mix deps.get" in deps
    assert "HEX_MIRROR" not in dockerfile(project(hex_deps=False))


def test_self_hosted_hex_repositories_are_added_with_a_secret_key_on_a_tmpfs() -> None:
    deps = stage_text(dockerfile(project(hex_repos=("internal", "ops-repo"))), "deps")
    assert "ARG HEX_MIRROR HEX_CACERTS_PATH HEX_REPO_INTERNAL_URL HEX_REPO_OPS_REPO_URL\n" in deps
    run = deps[deps.index("RUN --mount") : deps.index("mix deps.get")]
    # Hex writes the key into its config in HEX_HOME: a tmpfs keeps it out of the layer.
    assert "--mount=type=tmpfs,target=/tmp/hex" in run and "export HEX_HOME=/tmp/hex" in run
    assert "--mount=type=secret,id=hex_repo_ops_repo" in run
    assert (
        'mix hex.repo add ops-repo "${HEX_REPO_OPS_REPO_URL:?pass --build-arg '
        'HEX_REPO_OPS_REPO_URL=URL}" --auth-key "$(cat /run/secrets/hex_repo_ops_repo)"'
    ) in run
    assert "tmpfs" not in dockerfile(project())


def test_npm_installs_read_an_optional_npmrc_secret() -> None:
    assets = Assets(
        "shop",
        "assets",
        "yarn",
        "yarn.lock",
        "build",
        (),
        "priv/static",
        commands=("yarn run build",),
        steps=(Step("yarn run build", "assets", "node", "test"),),
    )
    frontend = stage_text(dockerfile(project(assets=(assets,))), "frontend")
    assert "RUN --mount=type=secret,id=npmrc,target=/root/.npmrc yarn install" in frontend
    assert "RUN yarn run build" in frontend  # the build step needs no registry


@pytest.mark.parametrize("family", ["debian", "alpine"])
def test_installs_leave_no_package_manager_cache(family: str) -> None:
    natives = (NativeDep("bcrypt_elixir", KNOWN_NATIVE["bcrypt_elixir"]),)
    text = dockerfile(project(native_deps=natives), os=family)
    for stage in ("builder", "runtime"):
        part = stage_text(text, stage)
        if family == "alpine":
            assert "apk add --no-cache" in part
        else:
            assert "&& apt-get clean \\\n" in part
            assert "rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin" in part


def test_runtime_matches_the_builder_os_release() -> None:
    plan = make_plan(project(), Options())
    rows = {name: image for name, image, _ in plan.images}
    assert rows["BUILDER_IMAGE"].endswith(f"-debian-{plan.os_release}-slim")
    assert rows["RUNTIME_IMAGE"] == f"debian:{plan.os_release}-slim"
    alpine = make_plan(project(), Options(os="alpine"))
    rows = {name: image for name, image, _ in alpine.images}
    assert rows["BUILDER_IMAGE"].endswith(f"-alpine-{alpine.os_release}")
    assert rows["RUNTIME_IMAGE"] == f"alpine:{alpine.os_release}"


def test_runtime_is_non_root_and_starts_the_release() -> None:
    runtime = stage_text(dockerfile(project()), "runtime")
    assert "USER 1000:1000" in runtime
    assert "COPY --from=releaser --chown=1000:1000 /app/_build/prod/rel/shop ./" in runtime
    assert 'ENTRYPOINT ["/app/bin/shop"]' in runtime and 'CMD ["start"]' in runtime
    assert "EXPOSE 4000" in runtime and "PHX_SERVER=true" in runtime


@pytest.mark.parametrize(
    ("uid", "groupadd", "useradd"),
    [
        (1000, "groupadd --gid 1000 app", "useradd --no-log-init --uid 1000 --gid 1000 "),
        (999, "groupadd --system --gid 999 app", "useradd --system --uid 999 --gid 999 "),
        (
            70000,
            "groupadd -K GID_MAX=70000 --gid 70000 app",
            "useradd -K UID_MAX=70000 --no-log-init --uid 70000 --gid 70000 ",
        ),
    ],
)
def test_the_user_is_created_in_the_id_range_that_holds_it(
    uid: int, groupadd: str, useradd: str
) -> None:
    # outside its class's range (`--system --uid 1000`), useradd warns on every build
    runtime = stage_text(dockerfile(project(), user_id=uid), "runtime")
    assert f"RUN {groupadd} \\\n    && {useradd}" in runtime
    assert "useradd --system --uid 1000" not in runtime


def test_distillery_runs_in_the_foreground() -> None:
    p = project(release_tool="distillery", distillery_version="2.0.10")
    text = dockerfile(p)
    assert "RUN mix release --env=prod --name=shop --no-tar" in text
    assert 'CMD ["foreground"]' in text and "REPLACE_OS_VARS=true" in text
    newer = dockerfile(replace(p, distillery_version="2.1.1"))
    assert "mix distillery.release --env=prod --name=shop --no-tar" in newer


def test_release_choice() -> None:
    p = project(releases=(Release("web"), Release("admin")))
    assert make_plan(p, Options()).release == "web"
    assert make_plan(p, Options(release="admin")).release == "admin"
    assert "RUN mix release admin" in dockerfile(p, release="admin")
    with pytest.raises(UserError, match="--release nope"):
        make_plan(p, Options(release="nope"))


def test_npm_assets_get_a_frontend_stage_with_phoenix_js_from_deps() -> None:
    assets = Assets(
        "shop",
        "assets",
        "npm",
        "package-lock.json",
        "deploy",
        ("phoenix",),
        "priv/static",
        commands=("npm run deploy",),
        steps=(Step("npm run deploy", "assets", "node", "test"),),
    )
    pin = Constraint("node", "== 20.18.1", False, "pin", ".nvmrc:1", "20.18.1", "20.18.1")
    text = dockerfile(project(assets=(assets,), constraints=(pin,)))
    frontend = stage_text(text, "frontend")
    assert "COPY --from=deps /app/deps/phoenix /app/deps/phoenix" in frontend
    assert frontend.index("package-lock.json ./") < frontend.index("npm ci")
    assert frontend.index("npm ci") < frontend.index("COPY assets/ ./")
    assert "RUN npm run deploy" in frontend
    releaser = stage_text(text, "releaser")
    assert "COPY --from=frontend /app/priv/static priv/static" in releaser
    assert releaser.index("mix compile") < releaser.index("--from=frontend")
    assert "RUN mix phx.digest" in releaser
    assert "ARG NODE_IMAGE=node:20.18.1-" in text


@pytest.mark.parametrize(
    ("pipeline", "lockfile", "berry", "manager", "tool", "install"),
    [
        (
            "yarn",
            "yarn.lock",
            False,
            None,
            "command -v yarn >/dev/null || npm install -g --no-audit --no-fund yarn@1",
            "yarn install --frozen-lockfile",
        ),
        (
            "yarn",
            "yarn.lock",
            True,
            "yarn@4.1.0",
            "npm install -g --force --no-audit --no-fund @yarnpkg/cli-dist@4.1.0",
            "yarn install --immutable",
        ),
        (
            "pnpm",
            "pnpm-lock.yaml",
            False,
            "pnpm@9.1.0",
            "npm install -g --no-audit --no-fund pnpm@9.1.0",
            "pnpm install --frozen-lockfile",
        ),
        (
            "bun",
            "bun.lockb",
            False,
            None,
            "npm install -g --no-audit --no-fund bun@1",
            "bun install --frozen-lockfile",
        ),
        ("npm", None, False, None, None, "npm install --no-audit --no-fund"),
    ],
)
def test_package_managers(
    pipeline: str,
    lockfile: str | None,
    berry: bool,
    manager: str | None,
    tool: str | None,
    install: str,
) -> None:
    """The lock's own manager installs (npm provides it where the image lacks it), before the
    package files are copied, so a lock change keeps the manager's layer."""
    assets = Assets(
        "shop",
        "assets",
        pipeline,  # type: ignore[arg-type]
        lockfile,
        "build",
        (),
        "priv/static",
        commands=(f"{pipeline} run build",),
        steps=(Step(f"{pipeline} run build", "assets", "node", "test"),),
        manager=manager,
        yarn_berry=berry,
    )
    frontend = stage_text(dockerfile(project(assets=(assets,))), "frontend")
    assert f" {install}\n" in frontend and f"RUN {pipeline} run build" in frontend
    if tool:
        assert frontend.index(f" {tool}\n") < frontend.index("COPY assets/package.json")
    else:
        assert "npm install -g" not in frontend and "corepack" not in frontend


MIX_STEPS = ("tailwind shop --minify", "esbuild shop --minify", "phx.digest")
MIX_ALIAS = Step("mix assets.deploy", ".", "mix", "test", ("node_modules",), tasks=MIX_STEPS)


def test_mix_assets_build_in_the_releaser_after_compile() -> None:
    assets = Assets(
        "shop",
        "assets",
        "mix",
        output="priv/static",
        alias="assets.deploy",
        mix_steps=MIX_STEPS,
        tools=("esbuild", "tailwind"),
        steps=(MIX_ALIAS,),
    )
    text = dockerfile(project(assets=(assets,)))
    assert " AS frontend" not in text and "node" not in text.lower().split("runtime")[0]
    releaser = stage_text(text, "releaser")
    # The binaries the packages download are fetched once, in deps, which a code change keeps.
    deps = stage_text(text, "deps")
    assert deps.index("mix deps.compile") < deps.index("mix esbuild.install")
    assert "mix tailwind.install" in deps and ".install" not in releaser
    assert releaser.index("RUN mix compile") < releaser.index("COPY assets assets")
    assert releaser.index("COPY assets assets") < releaser.index("RUN mix assets.deploy")
    assert releaser.index("RUN mix assets.deploy") < releaser.index("COPY config/runtime.exs")


def test_mix_assets_with_npm_packages_take_node_modules_from_the_frontend() -> None:
    assets = Assets(
        "shop",
        "assets",
        "mix",
        "package-lock.json",
        None,
        (),
        "priv/static",
        alias="assets.deploy",
        mix_steps=MIX_STEPS,
        steps=(MIX_ALIAS,),
    )
    text = dockerfile(project(assets=(assets,)))
    frontend = stage_text(text, "frontend")
    assert "npm ci" in frontend and "npm run" not in frontend
    assert "COPY --from=frontend /app/assets/node_modules assets/node_modules" in text


def test_umbrella_copies_every_app_mix_exs_sorted_and_runs_assets_in_the_app() -> None:
    assets = Assets(
        "web",
        "apps/web/assets",
        "mix",
        output="apps/web/priv/static",
        alias="assets.deploy",
        mix_steps=MIX_STEPS,
        steps=(replace(MIX_ALIAS, cwd="apps/web"),),
    )
    p = project(
        umbrella=True,
        apps=(App("core", "apps/core", False), App("web", "apps/web", True)),
        releases=(Release("shop", ("web",)),),
        mix_files=("apps/core/mix.exs", "apps/web/mix.exs", "mix.exs"),
        source_dirs=("apps",),
        assets=(assets,),
    )
    text = dockerfile(p)
    assert "COPY apps/core/mix.exs apps/core/\nCOPY apps/web/mix.exs apps/web/\n" in text
    assert "RUN cd apps/web && mix assets.deploy" in text
    assert "COPY apps apps" in text and "RUN mix release shop" in text


def _pins(elixir: str, otp: str) -> tuple[Constraint, ...]:
    return (
        Constraint("elixir", f"== {elixir}", False, "pin", ".tool-versions:1", "e", elixir),
        Constraint("otp", f"== {otp}", False, "pin", ".tool-versions:2", "o", otp),
    )


def test_unpublished_pins_warn_unless_the_builder_is_given() -> None:
    p = project(constraints=_pins("1.99.0", "99.0.1"))
    warnings = make_plan(p, Options()).warnings
    assert any(
        "no published image with the rest of the choice has Elixir 1.99.0" in w for w in warnings
    )
    given = make_plan(p, Options(builder_image="mirror.example/elixir:x", os_release="bookworm"))
    assert not any("no published image" in w for w in given.warnings)
    assert given.images[0][:2] == ("BUILDER_IMAGE", "mirror.example/elixir:x")


def test_elixir_option_is_a_hard_constraint() -> None:
    plan: Plan = make_plan(project(), Options(elixir="1.15.7"))
    assert plan.elixir == "1.15.7"
    assert 24 <= (int(plan.otp.split(".")[0])) <= 26
    assert make_plan(project(), Options(elixir="1.15")).elixir == "1.15.8"


def test_output_is_deterministic() -> None:
    assert dockerfile(project()) == dockerfile(project())


def test_versions_from_requirements_follow_the_os_family() -> None:
    requirement = Constraint("elixir", "~> 1.15", True, "requirement", "mix.exs:5", "r", "~> 1.15")
    p = project(constraints=(requirement,))
    debian = make_plan(p, Options())
    alpine = make_plan(p, Options(os="alpine"))
    assert (debian.elixir, debian.otp) == ("1.20.3", "29.0.5")
    assert images.published(alpine.images[0][1])
    assert not alpine.warnings and not debian.warnings


def test_os_release_option_names_the_release_of_overridden_images() -> None:
    p = project(constraints=_pins("1.14.5", "25.3.2.4"))
    assert make_plan(p, Options()).os_release == "trixie-20260803"
    plan = make_plan(p, Options(os_release="bookworm", builder_image="b", runtime_image="r"))
    assert plan.os_release == "bookworm"
    assert "libssl3" in render_dockerfile(plan)
    assert not plan.warnings
    with pytest.raises(UserError, match="pass --os-release"):
        make_plan(p, Options(runtime_image="r", builder_image="b"))


@pytest.mark.parametrize(
    ("options", "release"),
    [
        (
            Options(
                builder_image="hexpm/elixir:1.16.3-erlang-26.2.5-debian-bookworm-20240612-slim"
            ),
            "bookworm-20240612",
        ),
        (Options(runtime_image="debian:bookworm-slim"), "bookworm"),
        (Options(runtime_image="debian:12-slim"), "bookworm"),
        (Options(builder_image="mirror.example/elixir:1.14-bookworm"), "bookworm"),
        (
            Options(
                builder_image="mirror.example/elixir:1.14-bookworm",
                runtime_image="mirror.example/debian:bookworm-20240612-slim",
                node_image="node:12.22.12-bullseye-slim",  # static files: any release
            ),
            "bookworm",
        ),
        (Options(os="alpine", runtime_image="alpine:3.22.5"), "3.22.5"),
    ],
)
def test_overrides_name_their_release_in_their_tags(options: Options, release: str) -> None:
    plan = make_plan(project(), options)
    assert plan.os_release.startswith(release)
    packages = distros.runtime_packages(plan.os_family, release)
    assert all(package in render_dockerfile(plan) for package in packages)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            Options(builder_image="x/elixir:1.14-bookworm", runtime_image="debian:bullseye-slim"),
            "--builder-image x/elixir:1.14-bookworm says bookworm but --runtime-image",
        ),
        (
            Options(os_release="bullseye", runtime_image="debian:bookworm-slim"),
            "--os-release says bullseye but --runtime-image debian:bookworm-slim says bookworm",
        ),
        (Options(runtime_image="alpine:3.19"), "is built on alpine but the build is for debian"),
        (Options(builder_image="mycorp/elixir:prod"), "pass --os-release"),
    ],
)
def test_contradictory_or_silent_overrides_are_refused(options: Options, message: str) -> None:
    with pytest.raises(UserError) as caught:
        make_plan(project(), options)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_header_states_the_versions_of_the_builder_override() -> None:
    plan = make_plan(
        project(),
        Options(
            builder_image="mirror.example/elixir:1.14-bookworm",
            node_image="mirror.example/node:20-bookworm-slim",
        ),
    )
    text = render_dockerfile(plan)
    assert "Elixir 1.14, OTP unknown" in text
    assert (
        "# Elixir 1.14 on OTP unknown\nARG BUILDER_IMAGE=mirror.example/elixir:1.14-bookworm"
        in text
    )
    hexpm = make_plan(
        project(),
        Options(builder_image="hexpm/elixir:1.16.3-erlang-26.2.5-debian-bookworm-20240612-slim"),
    )
    assert (hexpm.elixir, hexpm.otp) == ("1.16.3", "26.2.5")


def test_programs_the_app_runs_are_installed_in_the_runtime() -> None:
    from kubenative.project.commands import Command

    p = project(
        commands=(
            Command("jq", "lib/a.ex:3", "System.cmd"),
            Command("df", "lib/a.ex:4", ":os.cmd"),
            Command("mystery", "lib/a.ex:5", "System.cmd"),
            Command(None, "lib/a.ex:6", "System.cmd(cmd, ...)"),
        )
    )
    made = make_plan(p, Options())
    runtime = stage_text(render_dockerfile(made), "runtime")
    install = next(line for line in runtime.splitlines() if "apt-get install" in line)
    assert " jq " in install + " " and "the programs it runs (jq)" in runtime
    assert any("lib/a.ex:5" in w and "mystery" in w for w in made.warnings)
    assert any("lib/a.ex:6" in w and "named at run time" in w for w in made.warnings)
    assert not any("`df`" in w for w in made.warnings)  # in the base image
    with pytest.raises(UserError, match=r"lib/a.ex:3.*`jq`.*--runtime minimal"):
        make_plan(p, Options(runtime="minimal"))
    busybox = project(commands=(Command("date", "lib/a.ex:4", ":os.cmd"),))
    assert "rootfs" in make_plan(busybox, Options(runtime="minimal")).stage_names


def test_the_projects_start_script_is_the_command() -> None:
    text = stage_text(dockerfile(project(start_script="server")), "runtime")
    assert 'CMD ["/app/bin/server"]' in text and "ENTRYPOINT" not in text
    assert "rel/overlays/bin/server" in text
    assert 'ENTRYPOINT ["/app/bin/shop"]' in dockerfile(project())


def test_an_endpoint_without_a_server_setting_is_made_to_serve() -> None:
    from kubenative.project.endpoints import Endpoint

    unset = project(endpoints=(Endpoint("shop", "ShopWeb.Endpoint", "unset"),))
    text = stage_text(dockerfile(unset), "runtime")
    assert 'ERL_AFLAGS="-phoenix serve_endpoints true"' in text
    assert "ShopWeb.Endpoint has no `server:` setting" in text
    guarded = project(endpoints=(Endpoint("shop", "ShopWeb.Endpoint", "env", ("SERVE",)),))
    text = stage_text(dockerfile(guarded), "runtime")
    assert "SERVE=true" in text and "ERL_AFLAGS" not in text
    assert "ERL_AFLAGS" not in dockerfile(replace(unset, serve_endpoints=True))
    phoenix16 = Endpoint("shop", "ShopWeb.Endpoint", "env", ("PHX_SERVER", "RELEASE_NAME"))
    text = stage_text(dockerfile(project(endpoints=(phoenix16,))), "runtime")
    assert "PHX_SERVER=true" in text and "RELEASE_NAME" not in text


def test_the_port_goes_in_the_variable_config_reads_and_no_listener_no_port() -> None:
    text = stage_text(dockerfile(project(port=8080, port_env="APP_PORT")), "runtime")
    assert "APP_PORT=8080" in text and "PORT=4000" not in text and "EXPOSE 8080" in text
    quiet = stage_text(
        dockerfile(project(http_server=False, apps=(App("shop", ".", False),))), "runtime"
    )
    assert "PORT" not in quiet and "EXPOSE" not in quiet


def test_include_erts_false_runs_on_the_builder_image() -> None:
    p = project(releases=(Release("app", include_erts=False),))
    plan = make_plan(p, Options(release="app"))
    runtime = plan.stages[-1]
    assert runtime.base == "${BUILDER_IMAGE}"
    assert "include_erts: false" in runtime.comment
    assert "RUNTIME_IMAGE" not in [arg for arg, _, _ in plan.images]
    with pytest.raises(UserError, match="include_erts: false"):
        make_plan(p, Options(release="app", runtime="minimal"))
    mirrored = make_plan(p, Options(release="app", runtime_image="debian:bookworm-slim"))
    assert mirrored.stages[-1].base == "${BUILDER_IMAGE}"
    assert any("--runtime-image is unused" in w for w in mirrored.warnings)


def test_files_the_project_reads_land_where_each_read_runs() -> None:
    text = dockerfile(
        project(
            mix_reads=("VERSION",),
            compile_reads=("README.md", "data/colors/"),
            boot_reads=("content/", "seeds/a.toml"),
        )
    )
    deps, releaser = stage_text(text, "deps"), stage_text(text, "releaser")
    runtime = stage_text(text, "runtime")
    # mix.exs is loaded before deps.get: what it reads comes right after it.
    assert deps.index("COPY VERSION ./") < deps.index("RUN mix deps.get")
    # Compile-time reads come before mix compile, in the releaser only: deps stays cached.
    assert releaser.index("COPY data/colors data/colors") < releaser.index("RUN mix compile")
    assert releaser.index("COPY README.md ./") < releaser.index("RUN mix compile")
    assert "README.md" not in deps
    # ... and before the source, which changes more often.
    assert releaser.index("COPY README.md ./") < releaser.index("COPY lib lib")
    # Boot reads land in /app (the release's working directory), owned by the user, before
    # the release so that a code change leaves them cached.
    release = runtime.index("COPY --from=releaser")
    assert release > runtime.index("COPY --chown=1000:1000 seeds/a.toml seeds/")
    assert release > runtime.index("COPY --chown=1000:1000 content content")
    assert runtime.index("WORKDIR /app") < runtime.index("COPY --chown=1000:1000 content")


def test_boot_reads_reach_the_minimal_runtime_too() -> None:
    text = dockerfile(project(boot_reads=("content/",)), runtime="minimal")
    runtime = stage_text(text, "runtime")
    assert "COPY --chown=1000:1000 content content" in runtime
    assert "content" not in stage_text(text, "rootfs")


def test_a_committed_secret_config_is_let_back_in_after_the_secret_rule() -> None:
    p = project(
        compile_config=("config/config.exs", "config/prod.exs", "config/prod.secret.exs"),
        tracked_secrets=("config/prod.secret.exs",),
    )
    plan = make_plan(p, Options())
    patterns = [pattern for group in plan.ignore for pattern in group.patterns]
    assert patterns.index("**/*.secret.exs") < patterns.index("!config/prod.secret.exs")
    assert not ignore.excluded("config/prod.secret.exs", patterns)
    assert ignore.excluded("config/dev.secret.exs", patterns)


def test_environment_variables_mix_exs_reads_are_build_arguments_of_the_releaser() -> None:
    text = dockerfile(project(mix_env=("APP_REVISION",)))
    deps, releaser = stage_text(text, "deps"), stage_text(text, "releaser")
    # Declared without a default: unset, they leave every step cached; not in deps, so a
    # revision that changes with each commit never refetches the dependencies.
    assert "APP_REVISION" not in deps
    assert releaser.index("ARG APP_REVISION\n") < releaser.index("RUN mix compile")
    assert releaser.index("COPY lib lib") < releaser.index("ARG APP_REVISION")
    assert "APP_REVISION" not in dockerfile(project())


def test_a_poncho_apps_committed_secret_is_let_back_in_under_its_folder() -> None:
    p = project(
        context_app="web",
        compile_config=("config/config.exs", "config/prod.exs", "config/prod.secret.exs"),
        tracked_secrets=("config/prod.secret.exs",),
        boot_reads=("content/",),
    )
    plan = make_plan(p, Options())
    patterns = [pattern for group in plan.ignore for pattern in group.patterns]
    assert not ignore.excluded("web/config/prod.secret.exs", patterns)
    assert ignore.excluded("core/config/prod.secret.exs", patterns)
    text = render_dockerfile(plan)
    assert "COPY --chown=1000:1000 web/content content" in stage_text(text, "runtime")


def test_a_crate_newer_than_debians_rustc_is_a_warning() -> None:
    from kubenative.project.native import crate_needs

    needs = crate_needs({"package": {"rust-version": "1.70"}, "dependencies": {"rustler": "0.34"}})
    assert needs is not None and needs.builder["debian"] == ("cargo", "rustc")
    p = project(native_deps=(NativeDep("native/fastmath", needs),))
    old = make_plan(p, Options(os_release="bookworm"))
    assert any("native/fastmath needs Rust 1.70" in w and "rustc 1.63" in w for w in old.warnings)
    assert not any("rustc" in w for w in make_plan(p, Options(os_release="trixie")).warnings)
    bindgen = crate_needs(
        {"dependencies": {"rustler": "0.34"}, "build-dependencies": {"bindgen": "0"}}
    )
    assert bindgen is not None and "libclang-dev" in bindgen.builder["debian"]
    assert crate_needs({"dependencies": {"serde": "1"}}) is None


def test_the_plan_numbers_and_names_every_port() -> None:
    from kubenative.project.endpoints import Port

    ports = (
        Port("shop", "ShopWeb.Endpoint", "http", None, "HTTP_PORT", "config/runtime.exs:3"),
        Port("shop", "ShopWeb.Endpoint", "https", 443, None, "config/runtime.exs:4", "https"),
        Port("shop", "ShopWeb.AdminEndpoint", "http", None, "ADMIN_PORT", "x:1", "admin-http"),
    )
    plan = make_plan(project(ports=ports), Options())
    assert [(p.name, p.port) for p in plan.ports] == [
        ("http", 4000),
        ("https", 443),
        ("admin-http", 4001),
    ]
    assert plan.port == 4000
    moved = make_plan(project(ports=ports), Options(port=8080))
    assert [p.port for p in moved.ports] == [8080, 443, 4000]


def test_a_fixed_port_does_not_move_with_the_port_option() -> None:
    from kubenative.project.endpoints import Port

    fixed = (Port("shop", "ShopWeb.Endpoint", "http", 20080, None, "config/prod.exs:7"),)
    plan = make_plan(project(ports=fixed, port=20080), Options(port=8080))
    assert plan.port == 20080
    assert any(w.startswith("--port 8080 is ignored: config/prod.exs:7") for w in plan.warnings)


def test_a_web_app_without_a_port_in_config_listens_on_4000_from_port() -> None:
    plan = make_plan(project(), Options())
    assert [(p.name, p.port, p.env) for p in plan.ports] == [("http", 4000, "PORT")]
    assert make_plan(project(http_server=False), Options()).ports == ()


def test_a_port_below_1024_is_a_warning_for_the_unprivileged_user() -> None:
    from kubenative.project.endpoints import Port

    ports = (
        Port("shop", "ShopWeb.Endpoint", "http", 4000, "PORT", "config/runtime.exs:3"),
        Port("shop", "ShopWeb.SecureEndpoint", "https", 443, None, "config/prod.exs:9", "s"),
    )
    plan = make_plan(project(ports=ports), Options())
    (warning,) = [w for w in plan.warnings if "below 1024" in w]
    assert warning.startswith("config/prod.exs:9: ShopWeb.SecureEndpoint listens on 443 (https)")
    assert "EXPOSE 4000 443" in dockerfile(project(ports=ports))


def test_non_http_listeners_are_exposed_only_when_nothing_serves_http() -> None:
    from kubenative.project.endpoints import Socket

    munin = Socket(":gen_tcp.listen", "tcp", 4950, None, "127.0.0.1", "lib/munin.ex:9")
    syslog = Socket(":gen_udp.open", "udp", 514, "SYSLOG_PORT", None, "lib/syslog.ex:4")
    web = make_plan(project(other_listeners=(munin, syslog)), Options())
    assert web.sockets == ()
    (warning,) = [w for w in web.warnings if "beside HTTP" in w]
    assert warning.startswith("lib/syslog.ex:4: :gen_udp.open listens on UDP 514 beside HTTP")
    assert "EXPOSE 4000\n" in dockerfile(project(other_listeners=(munin, syslog)))
    alone = project(
        other_listeners=(munin, syslog), http_server=False, apps=(App("shop", ".", phoenix=False),)
    )
    assert make_plan(alone, Options()).sockets == (syslog,)
    text = dockerfile(alone)
    assert "EXPOSE 514/udp" in text and "PORT" not in text


def test_a_stage_refuses_a_step_whose_tool_its_image_lacks() -> None:
    """kubenative never writes a step into a stage without its tool: the plan checks every RUN
    against its stage's image, by the tools the step carries and the programs it names."""
    node = Stage("frontend", "${NODE_IMAGE}", "", (Instruction("RUN", ("npm ci",)),))
    check_tools([node])
    for step in (
        Instruction("RUN", ("cd .. && mix assets.deploy",)),
        Instruction("RUN", ("webpack -p",), tools=("mix",)),
    ):
        with pytest.raises(AssertionError, match=r"frontend .* has no mix"):
            check_tools([replace(node, steps=(step,))])
    builder = Stage("builder", "${BUILDER_IMAGE}", "", ())
    releaser = Stage("releaser", "builder", "", (Instruction("RUN", ("mix phx.digest",)),))
    check_tools([builder, releaser])
    late = replace(releaser, steps=(Instruction("RUN", ("npm run deploy --prefix assets",)),))
    with pytest.raises(AssertionError, match=r"releaser .* has no node"):
        check_tools([builder, late])


def test_the_runtime_gets_every_boot_read_the_project_lists() -> None:
    # what is data and what is source is decided by inspect (project/copies.py): the plan
    # copies every boot read it lists, wherever it lives
    p = project(boot_reads=("config/runtime/mail.exs", "content/", "lib/template.svg"))
    text = render_dockerfile(make_plan(p, Options()))
    assert "COPY --chown=1000:1000 config/runtime/mail.exs config/runtime/\n" in text
    assert "COPY --chown=1000:1000 lib/template.svg lib/\n" in text
    assert "COPY --chown=1000:1000 content content\n" in text


def test_an_old_node_gyp_gets_python_2_from_the_node_images_release() -> None:
    gyp = ("4.0.0", "assets/package-lock.json:29")
    assets = Assets("shop", "assets", "npm", "package-lock.json", "deploy", output="priv/static")
    old = project(assets=(replace(assets, native_modules=True, node_gyp=gyp),))
    text = render_dockerfile(make_plan(old, Options()))
    assert "ARG NODE_IMAGE=node:26.7.0-bullseye-slim" in text
    assert "install -y --no-install-recommends g++ make python2 python3 " in text
    assert "and Python 2: node-gyp 4.0.0 (assets/package-lock.json:29) needs it" in text
    # an override: the package of the release its tag names; none named, a warning
    stretch = render_dockerfile(make_plan(old, Options(node_image="node:10-stretch-slim")))
    assert "--no-install-recommends g++ make python python3 " in stretch
    plan = make_plan(old, Options(node_image="registry.local/node:10"))
    assert "g++ make python3 " in render_dockerfile(plan)
    assert any("cannot tell which OS release --node-image is on" in w for w in plan.warnings)
    # node-gyp 5.0.5 runs Python 3: nothing more
    new = project(assets=(replace(assets, native_modules=True, node_gyp=("5.0.5", "x:1")),))
    assert "g++ make python3 " in render_dockerfile(make_plan(new, Options()))


def test_a_guessed_port_is_one_warning_naming_where_to_look() -> None:
    unread = ("config/runtime.exs:86 (Web.Endpoint: no http/https setting kubenative can read)",)
    plan = make_plan(project(unread_ports=unread), Options())
    assert [(p.port, p.env) for p in plan.ports] == [(4000, "PORT")]
    (warning,) = [w for w in plan.warnings if "cannot read the port" in w]
    assert warning.startswith("config/runtime.exs:86 (Web.Endpoint: ")
    assert "pass --port" in warning
    # --port says it: no guess left to warn about
    plan = make_plan(project(unread_ports=unread), Options(port=7000))
    assert [p.port for p in plan.ports] == [7000]
    assert not [w for w in plan.warnings if "cannot read the port" in w]


def test_the_unreadable_port_scenario_warns_once_with_file_line_and_port_option() -> None:
    from kubenative.project.inspect import inspect_project

    from .conftest import GOLDEN

    found = inspect_project(str(GOLDEN / "listener_port_unreadable" / "project"))
    warnings = [w for w in make_plan(found, Options()).warnings if "--port" in w]
    assert warnings == [
        "config/runtime.exs:14 (RelayWeb.Endpoint: no http/https setting kubenative can read): "
        "kubenative cannot read the port the release listens on: the image exposes 4000 and "
        "sets PORT=4000 (Phoenix's default, which many helpers fall back to); pass --port with "
        "the port it listens on"
    ]


def test_an_unread_first_port_warning_also_names_endpoints_with_no_port_to_read() -> None:
    from kubenative.project.endpoints import Port

    # firezone: PortalOps' port is a helper kubenative cannot read, Portal.Endpoint's config
    # is `public_http ++ public_https ++ [...]`: one warning names both
    ports = (Port("portal", "PortalOps.Endpoint", "http", None, None, "config/runtime.exs:574"),)
    unread = (
        "config/runtime.exs:443 (Portal.Endpoint: no http/https setting kubenative can read)",
    )
    plan = make_plan(project(ports=ports, unread_ports=unread), Options())
    (warning,) = [w for w in plan.warnings if "--port" in w]
    assert warning.startswith("config/runtime.exs:574: the http port of PortalOps.Endpoint")
    assert warning.endswith(f"(nor could it read these: {unread[0]})")
