"""What inspect makes of the files a project reads, on small projects written here."""

from __future__ import annotations

from pathlib import Path

from kubenative.project import reads
from kubenative.project.inspect import inspect_project

MIX = """defmodule App.MixProject do
  use Mix.Project
  def project, do: [app: :app, version: "0.1.0", deps: []]
end
"""


def _project(root: Path, files: dict[str, str]) -> Path:
    for rel, text in {"mix.exs": MIX, "mix.lock": "%{}\n", **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_a_read_of_a_missing_file_and_one_outside_the_project_are_warnings(
    tmp_path: Path,
) -> None:
    root = _project(
        tmp_path,
        {
            "lib/app.ex": (
                "defmodule App do\n"
                '  @a File.read!("missing.txt")\n'
                '  @b File.read!("../outside.txt")\n'
                "end\n"
            ),
        },
    )
    project = inspect_project(str(root))
    assert project.compile_reads == ()
    assert any(w.startswith("lib/app.ex:2: File.read! reads missing.txt") for w in project.warnings)
    assert any(
        w.startswith("lib/app.ex:3: File.read! reads ../outside.txt") for w in project.warnings
    )


def test_runtime_exs_reads_relative_to_dir_are_warned(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "config/runtime.exs": (
                'import Config\nCode.require_file("runtime/mail.exs", __DIR__)\n'
            ),
            "config/runtime/mail.exs": "import Config\n",
        },
    )
    project = inspect_project(str(root))
    assert project.boot_reads == ()
    assert any("releases/VERSION folder" in w for w in project.warnings)


def test_reads_inside_copied_folders_add_no_copy(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "lib/app.ex": 'defmodule App do\n  @external_resource "priv/a.json"\nend\n',
            "priv/a.json": "{}\n",
        },
    )
    project = inspect_project(str(root))
    assert project.source_dirs == ("lib", "priv")
    assert project.compile_reads == ()


def test_a_gitignored_file_is_not_copied_a_fresh_checkout_lacks_it(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            ".gitignore": "/generated.txt\n",
            "generated.txt": "local only\n",
            "kept.txt": "committed\n",
            "lib/app.ex": (
                "defmodule App do\n"
                '  @a File.read!("generated.txt")\n'
                '  @b File.read!("kept.txt")\n'
                "end\n"
            ),
        },
    )
    project = inspect_project(str(root))
    assert project.compile_reads == ("kept.txt",)
    assert any(
        w.startswith(
            "lib/app.ex:2: File.read! reads generated.txt while the image is built, but "
            ".gitignore excludes generated.txt: a fresh checkout does not have it"
        )
        for w in project.warnings
    )


def test_a_glob_that_names_files_below_a_wildcard_copies_its_matches(tmp_path: Path) -> None:
    # blockscout's config.exs imports each app's config through Path.wildcard: the reads are
    # those config files, not every file under apps/ (a package-lock.json parsed as Elixir).
    umbrella = (
        "defmodule Chain.MixProject do\n  use Mix.Project\n"
        '  def project, do: [apps_path: "apps", releases: [chain: [applications: '
        "[web: :permanent]]]]\nend\n"
    )
    web = MIX.replace(":app", ":web").replace("App.", "Web.")
    root = _project(
        tmp_path,
        {
            "mix.exs": umbrella,
            "apps/web/mix.exs": web,
            "apps/web/config/config.exs": "import Config\nconfig :web, greeting: :hi\n",
            "apps/web/assets/package-lock.json": '{"lockfileVersion": 3}\n',
            "apps/web/assets/package.json": "{}\n",
            "config/config.exs": (
                "import Config\n"
                'for config <- "../apps/*/config/config.exs" |> Path.expand(__DIR__) '
                "|> Path.wildcard() do\n  import_config config\nend\n"
            ),
        },
    )
    project = inspect_project(str(root))
    assert "apps/web/config/config.exs" in project.compile_config
    assert not any("assets" in path for path in project.compile_config)


def test_a_secret_mix_exs_reads_is_a_warning_not_just_a_build_argument(tmp_path: Path) -> None:
    # firezone: `cookie: System.get_env("ERL_COOKIE")` in releases: would bake the cookie into
    # a build argument, which the image's history keeps.
    mix = MIX.replace(
        "deps: []",
        'deps: [], releases: [app: [cookie: System.get_env("ERL_COOKIE")]], '
        'version: System.get_env("APP_VERSION", "0.1.0")',
    ).replace('version: "0.1.0", ', "")
    project = inspect_project(str(_project(tmp_path, {"mix.exs": mix, "lib/app.ex": ""})))
    assert project.mix_env == ("APP_VERSION", "ERL_COOKIE")
    assert [w for w in project.warnings if "ERL_COOKIE" in w] == [
        "mix.exs reads ERL_COOKIE while the image is built: as a build argument its value "
        "stays in the image's history; give a release cookie at boot instead (RELEASE_COOKIE, "
        "from the Kubernetes Secret), and read other secrets in config/runtime.exs"
    ]


def test_an_elixirc_path_outside_the_project_is_a_warning_not_a_folder_inside(
    tmp_path: Path,
) -> None:
    mix = MIX.replace(
        "deps: []]",
        'deps: [], elixirc_paths: ["lib", "../shared"]]',
    )
    root = _project(tmp_path / "app", {"mix.exs": mix, "lib/app.ex": "defmodule App do\nend\n"})
    (root / "shared").mkdir()  # a folder of the same name inside must not be taken for it
    project = inspect_project(str(root))
    assert "shared" not in project.source_dirs
    assert any("compiles ../shared, which is outside the project" in w for w in project.warnings)


def test_a_mix_tasks_reads_and_writes_never_happen_at_boot(tmp_path: Path) -> None:
    # operately's generators: Mix tasks that read and write source files by relative path
    task = (
        "defmodule Mix.Tasks.App.Gen.Page do\n  use Mix.Task\n"
        '  def run([name]) do\n    api = File.read!("lib/app/api.ex")\n'
        '    File.write!("assets/js/pages/#{name}.tsx", api)\n  end\nend\n'
    )
    root = _project(
        tmp_path,
        {
            "lib/mix/tasks/app.gen.page.ex": task,
            "lib/tasks/other.ex": task.replace("Gen.Page", "Gen.Other"),
            "lib/app/api.ex": "defmodule App.Api do\nend\n",
            "content/home.md": "hi\n",
            "lib/app/home.ex": "defmodule App.Home do\n"
            '  def text, do: File.read!("content/home.md")\nend\n',
        },
    )
    project = inspect_project(str(root))
    assert project.boot_reads == ("content/home.md",)
    assert project.boot_writes == ()


def test_data_read_at_boot_is_copied_wherever_it_lives_and_compiled_source_never(
    tmp_path: Path,
) -> None:
    # dwyl/hits-elixir reads lib/template.svg at boot, AlloyCI a test fixture from a lib
    # module: data, copied. A boot read of an .ex is source the release holds compiled: out,
    # with a warning; a folder of both gives its data files.
    root = _project(
        tmp_path,
        {
            "lib/template.svg": "<svg/>\n",
            "test/fixtures/repos.json": "[]\n",
            "lib/pages/about.md": "hi\n",
            "lib/pages/page.ex": "defmodule App.Page do\nend\n",
            "priv/mail.eex": "Hello <%= @name %>\n",
            "lib/app/api.ex": "defmodule App.Api do\nend\n",
            "lib/app.ex": (
                "defmodule App do\n"
                '  def badge, do: File.read!("./lib/template.svg")\n'
                '  def repos, do: File.read!("test/fixtures/repos.json")\n'
                '  def pages, do: File.ls!("lib/pages")\n'
                '  def mail(name), do: EEx.eval_file("priv/mail.eex", name: name)\n'
                '  def api, do: File.read!("lib/app/api.ex")\n'
                "end\n"
            ),
        },
    )
    project = inspect_project(str(root))
    assert project.boot_reads == (
        "lib/pages/about.md",
        "lib/template.svg",
        "priv/mail.eex",
        "test/fixtures/repos.json",
    )
    warned = [w for w in project.warnings if "the runtime never holds source" in w]
    assert warned == [
        "lib/app.ex:4: File.ls! reads lib/pages/ at boot: its data files are copied, not its 1 "
        "source file (lib/pages/page.ex): the release holds them compiled, and the runtime "
        "never holds source; to read source at run time, copy it under priv/ and read it with "
        'Application.app_dir(:your_app, "priv/...")',
        "lib/app.ex:6: File.read! reads lib/app/api.ex at boot: it is source, which the release "
        "holds compiled, and the runtime never holds source; to read source at run time, copy "
        'it under priv/ and read it with Application.app_dir(:your_app, "priv/...")',
    ]


def test_a_glob_in_config_reaches_only_what_it_names_and_never_boot_config(
    tmp_path: Path,
) -> None:
    # mbta/dotcom: a brace alternation over config/ folders, one of them named deps
    root = _project(
        tmp_path,
        {
            "config/config.exs": (
                "import Config\n"
                'for f <- Path.wildcard("config/{deps,app}/*.exs"), do: import_config("../#{f}")\n'
                'import_config "#{config_env()}.exs"\n'
            ),
            "config/deps/logger.exs": "import Config\n",
            "config/app/app.exs": "import Config\n",
            "config/prod.exs": "import Config\n",
            "config/runtime.exs": 'import Config\nconfig :app, key: System.get_env("KEY")\n',
            "config/dev.exs": 'import Config\nconfig :app, key: System.get_env("DEV_KEY")\n',
        },
    )
    project = inspect_project(str(root))
    assert project.compile_config == (
        "config/app/app.exs",
        "config/config.exs",
        "config/deps/logger.exs",
        "config/prod.exs",
    )
    assert project.late_config == ("config/runtime.exs",)
    assert not any("reads environment variables" in w for w in project.warnings)


def test_braces_are_alternatives() -> None:
    assert reads.expand_braces("config/{deps,app}/*.{exs,ex}") == [
        "config/deps/*.exs",
        "config/deps/*.ex",
        "config/app/*.exs",
        "config/app/*.ex",
    ]
    assert reads.expand_braces("priv/{x}/*.json") == ["priv/{x}/*.json"]
