"""`kubenative report`: the pure parts, on layer tars and `docker save` archives built here."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path

import pytest

from kubenative import cli, report
from kubenative.cli import arguments
from kubenative.errors import EXIT_USER
from kubenative.report import Entry, Layer


def layer_tar(files: dict[str, int], dirs: tuple[str, ...] = ()) -> bytes:
    """An uncompressed layer tar: ``files`` maps a member name to its size in bytes."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name in dirs:
            info = tarfile.TarInfo(name)
            info.type = tarfile.DIRTYPE
            tar.addfile(info)
        for name, size in files.items():
            info = tarfile.TarInfo(name)
            info.size = size
            tar.addfile(info, io.BytesIO(b"x" * size))
    return buffer.getvalue()


def saved_archive(path: Path, layers: list[bytes]) -> Path:
    """A `docker save`-shaped archive: manifest.json naming the layer blobs in order."""
    names = [f"blobs/sha256/{index:064d}" for index in range(len(layers))]
    with tarfile.open(path, mode="w") as tar:
        manifest = json.dumps([{"Layers": names}]).encode()
        for name, blob in [("manifest.json", manifest), *zip(names, layers, strict=True)]:
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
    return path


def test_member_names_become_absolute_paths() -> None:
    entries = report.layer_entries(layer_tar({"./etc/passwd": 3, "app/.env": 2}, ("app/",)))
    assert entries == (
        Entry("/app", 0, False),
        Entry("/etc/passwd", 3, True),
        Entry("/app/.env", 2, True),
    )


def test_flatten_applies_whiteouts_and_opaque_dirs_in_order() -> None:
    base = [Entry("/usr/bin/perl", 100, True), Entry("/var/cache/a", 5, True)]
    base += [Entry("/var/cache/b", 6, True), Entry("/etc/hosts", 1, True)]
    upper = [
        Entry("/usr/bin/.wh.perl", 0, True),
        Entry("/var/cache/.wh..wh..opq", 0, True),
        Entry("/var/cache/c", 7, True),
        Entry("/etc/hosts", 2, True),
    ]
    assert report.flatten([base, upper]) == {"/var/cache/c": 7, "/etc/hosts": 2}


def test_whiteout_of_a_directory_removes_what_is_under_it() -> None:
    base = [Entry("/app/tmp/x", 1, True), Entry("/app/tmpfile", 2, True)]
    assert report.flatten([base, [Entry("/app/.wh.tmp", 0, True)]]) == {"/app/tmpfile": 2}


def test_summarize_splits_the_release_from_the_rest() -> None:
    layers = [
        Layer((Entry("/lib/libc.so.6", 2_000, True), Entry("/bin/busybox", 800, True)), 900),
        Layer((Entry("/app/bin/shop", 50, True), Entry("/app/lib/a.beam", 10_000, True)), 4_000),
        Layer((Entry("/application/x", 7, True),), 10),
    ]
    result = report.summarize("shop:1", layers, top=2)
    assert (result.flattened, result.release, result.overhead) == (12_857, 10_050, 2_807)
    assert (result.compressed, result.layers) == (4_910, 3)
    assert result.largest == (("/lib/libc.so.6", 2_000), ("/bin/busybox", 800))
    data = result.to_json()
    assert data["overhead_bytes"] == 2_807
    assert data["largest_outside_release"] == [
        {"path": "/lib/libc.so.6", "bytes": 2_000},
        {"path": "/bin/busybox", "bytes": 800},
    ]
    lines = [line.split() for line in report.lines(result)]
    assert ["release:", "0.0", "MB", "(/app)"] in lines
    assert ["0.0", "MB", "/lib/libc.so.6"] in lines


def test_read_saved_measures_gzip_blobs_as_saved_and_gzips_plain_ones(tmp_path: Path) -> None:
    plain = layer_tar({"bin/sh": 1_000})
    packed = gzip.compress(layer_tar({"app/bin/shop": 3_000}))
    layers = report.read_saved(saved_archive(tmp_path / "image.tar", [plain, packed]))
    assert layers[0].entries == (Entry("/bin/sh", 1_000, True),)
    assert layers[0].compressed == len(gzip.compress(plain, compresslevel=6))
    assert layers[1].entries == (Entry("/app/bin/shop", 3_000, True),)
    assert layers[1].compressed == len(packed)


def test_cli_parses_report_and_a_missing_docker_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = arguments.parser().parse_args(["report", "shop:1", "--json"])
    assert (args.command, args.image, args.json) == ("report", "shop:1", True)
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("KUBENATIVE_DOCKER", raising=False)
    assert cli.main(["report", "shop:1"]) == EXIT_USER
    error = capsys.readouterr().err
    assert error.startswith("kubenative: error: the Docker engine is not installed")
    assert error.count("\n") == 1
