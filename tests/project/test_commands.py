"""Programs the application runs, read from its source."""

from __future__ import annotations

from pathlib import Path

from kubenative.project import commands

SOURCE = """
defmodule Media.Thumbs do
  @ffmpeg "ffmpeg"

  def thumb(path), do: System.cmd(@ffmpeg, ["-i", path, "out.png"])
  def version, do: System.cmd("/usr/bin/git", ["rev-parse", "HEAD"])
  def disk, do: :os.cmd(~c"df -h /tmp")
  def pdf(file), do: System.shell("pdftotext #{file} -")
  def any(cmd), do: System.cmd(cmd, [])
  def daemon, do: MuonTrap.cmd("rsync", ["-a", "a", "b"])
  def porcelain, do: Porcelain.exec("jq", ["."])
  def rambo, do: Rambo.run("mystery-tool", [])
  def piped(args), do: "ffprobe" |> System.cmd(args, stderr_to_stdout: true)
  def stream(rate), do: ExCmd.stream!(~w(sox -r #{rate} in.wav out.wav))

  defmodule Inner do
    @tool "convert"
    def run, do: System.cmd(@tool, [])
  end
end
"""


def test_every_call_is_read_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "thumbs.ex").write_text(SOURCE)
    found = commands.read(tmp_path, ("lib",), lambda p: p.read_text())
    by_line = {c.where: (c.name, c.call) for c in found}
    assert by_line == {
        "lib/thumbs.ex:5": ("ffmpeg", "System.cmd"),
        "lib/thumbs.ex:6": ("git", "System.cmd"),
        "lib/thumbs.ex:7": ("df", ":os.cmd"),
        "lib/thumbs.ex:8": ("pdftotext", "System.shell"),
        "lib/thumbs.ex:9": (None, "System.cmd(cmd, ...)"),
        "lib/thumbs.ex:10": ("rsync", "MuonTrap.cmd"),
        "lib/thumbs.ex:11": ("jq", "Porcelain.exec"),
        "lib/thumbs.ex:12": ("mystery-tool", "Rambo.run"),
        "lib/thumbs.ex:13": ("ffprobe", "System.cmd"),
        "lib/thumbs.ex:14": ("sox", "ExCmd.stream!"),
        "lib/thumbs.ex:18": ("convert", "System.cmd"),
    }


def test_the_table_names_a_package_per_family() -> None:
    assert commands.package("ffmpeg", "debian") == "ffmpeg"
    assert commands.package("convert", "alpine") == "imagemagick"
    assert commands.package("sqlite3", "alpine") == "sqlite"
    assert commands.package("df", "debian") is None and commands.known("df")
    assert commands.package("bash", "debian") is None and commands.package("bash", "alpine")
    assert not commands.known("mystery-tool")


def test_libraries_that_run_programs_count_as_running_them() -> None:
    found = commands.from_deps([("ffmpex", "mix.exs"), ("jason", "mix.exs")])
    assert [(c.name, c.where, c.call) for c in found] == [
        ("ffmpeg", "mix.exs", "the :ffmpex dependency"),
        ("ffprobe", "mix.exs", "the :ffmpex dependency"),
    ]


def test_the_library_table_has_a_source_for_every_entry() -> None:
    assert commands.DEP_PROGRAMS["mogrify"] == ("mogrify", "convert", "identify")
    assert "ex_image_info" not in commands.DEP_PROGRAMS  # reads headers in Elixir
    assert "waffle" not in commands.DEP_PROGRAMS  # only what its transforms name
    for name, entry in commands.LIBRARIES.items():
        assert "@" in entry["source"], name
        assert all(commands.known(program) for program in entry["programs"]), name


def read(tmp_path: Path, files: dict[str, str]) -> list[tuple[str | None, str, str]]:
    for rel, body in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body)
    found = commands.read(tmp_path, ("lib",), lambda p: p.read_text())
    return [(c.name, c.where, c.stage) for c in found]


def test_mix_tasks_and_dev_only_code_never_reach_the_runtime(tmp_path: Path) -> None:
    found = read(
        tmp_path,
        {
            # a Mix task under lib/mix/tasks: Mix is not in a release
            "lib/mix/tasks/db.dump.ex": "defmodule Mix.Tasks.Db.Dump do\n"
            '  def run(_), do: System.cmd("pg_dump", [])\nend\n',
            # a Mix task elsewhere (remote_retro keeps them in lib/tasks/)
            "lib/tasks/lint.ex": "defmodule Mix.Tasks.Lint do\n"
            '  def run(_), do: System.cmd("npx", ["eslint"])\nend\n',
            # code only dev compiles
            "lib/app/dev.ex": "defmodule App.Dev do\n  if Mix.env() == :dev do\n"
            '    def open(url), do: System.cmd("xdg-open", [url])\n  end\n'
            '  def backup, do: System.cmd("psql", [])\nend\n',
        },
    )
    assert found == [("psql", "lib/app/dev.ex:5", "run")]


def test_a_call_in_a_module_body_runs_when_it_compiles(tmp_path: Path) -> None:
    found = read(
        tmp_path,
        {
            "lib/app/version.ex": "defmodule App.Version do\n"
            '  @sha System.cmd("git", ["rev-parse", "HEAD"]) |> elem(0)\n'
            "  def sha, do: @sha\nend\n"
        },
    )
    assert found == [("git", "lib/app/version.ex:2", "compile")]


def test_upload_definitions_run_what_their_transforms_name(tmp_path: Path) -> None:
    found = read(
        tmp_path,
        {
            "lib/app/avatar.ex": "defmodule App.Avatar do\n  use Waffle.Definition\n"
            "  @versions [:original, :thumb, :preview]\n"
            "  def transform(:thumb, _) do\n"
            '    {:convert, "-strip -thumbnail 250x250^ -format png", :png}\n  end\n'
            "  def transform(:preview, _) do\n"
            '    {:ffmpeg, fn input, output -> "-i #{input} -f jpg #{output}" end, :jpg}\n'
            "  end\n  def transform(:original, _), do: :noaction\nend\n",
            # arc without transformations runs nothing
            "lib/app/doc.ex": "defmodule App.Doc do\n  use Arc.Definition\n"
            "  def transform(_, _), do: :skip\nend\n",
        },
    )
    assert found == [
        ("convert", "lib/app/avatar.ex:5", "run"),
        ("ffmpeg", "lib/app/avatar.ex:8", "run"),
    ]


def test_network_and_delta_tools_real_projects_run_have_packages() -> None:
    # firezone runs `nft` and `wg`; nerves_hub_web runs `xdelta3`.
    assert [commands.package(c, "debian") for c in ("nft", "wg", "ip", "xdelta3")] == [
        "nftables",
        "wireguard-tools",
        "iproute2",
        "xdelta3",
    ]
    assert commands.package("wg-quick", "alpine") == "wireguard-tools"
