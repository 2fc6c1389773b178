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
        ("ffmpeg", "mix.exs", "the :ffmpex dependency")
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
