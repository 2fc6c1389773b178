"""`kubenative report IMAGE`: what an image weighs, how much of it is the release, and what else.

Everything is computed from the layers `docker save` writes, so it works for any image, a
`FROM scratch` one included (no shell, no `du` needed):

- flattened: the bytes of the regular files in the image's filesystem, layers applied in order
  (whiteouts remove files). `docker image inspect`'s Size is not used: with the containerd image
  store it is the compressed size, with the classic store the unpacked one.
- compressed: the sum of the layer blobs, gzip-compressed (level 6) when the engine saved them
  uncompressed (the classic store) — close to what a registry stores and a node pulls.
- release: the bytes under the release root (``/app``); overhead = flattened - release.

The docker calls go through the shared subprocess wrapper, ``kubenative.docker.run``.
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kubenative.docker import run
from kubenative.errors import UserError

RELEASE_ROOT = "/app"
WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"


@dataclass(frozen=True)
class Entry:
    """One member of a layer tar: an absolute path, its size, and whether it is a regular file."""

    path: str
    size: int
    regular: bool


@dataclass(frozen=True)
class Layer:
    entries: tuple[Entry, ...]
    compressed: int  # bytes of the gzip-compressed layer blob


@dataclass(frozen=True)
class Report:
    image: str
    flattened: int
    compressed: int
    release: int
    layers: int
    largest: tuple[tuple[str, int], ...]  # the largest files outside the release, biggest first
    release_root: str = RELEASE_ROOT

    @property
    def overhead(self) -> int:
        return self.flattened - self.release

    def to_json(self) -> dict[str, object]:
        return {
            "image": self.image,
            "flattened_bytes": self.flattened,
            "compressed_bytes": self.compressed,
            "release_root": self.release_root,
            "release_bytes": self.release,
            "overhead_bytes": self.overhead,
            "layers": self.layers,
            "largest_outside_release": [{"path": p, "bytes": s} for p, s in self.largest],
        }


def _normalize(name: str) -> str:
    """A tar member name (``./etc/passwd``, ``app/bin/``) as an absolute path."""
    name = name.removeprefix("./").strip("/")
    return "/" if name in ("", ".") else "/" + name


def layer_entries(data: bytes) -> tuple[Entry, ...]:
    """The members of one uncompressed layer tar."""
    with tarfile.open(fileobj=io.BytesIO(data)) as layer:
        return tuple(
            Entry(_normalize(m.name), m.size if m.isfile() else 0, m.isfile())
            for m in layer.getmembers()
        )


def flatten(layers: Iterable[Iterable[Entry]]) -> dict[str, int]:
    """The regular files (path → bytes) of the filesystem the layers make, applied in order."""
    files: dict[str, int] = {}
    for entries in layers:
        for entry in entries:
            folder, _, base = entry.path.rpartition("/")
            if base == OPAQUE:
                prefix = folder + "/"
                files = {p: s for p, s in files.items() if not p.startswith(prefix)}
            elif base.startswith(WHITEOUT):
                gone = f"{folder}/{base[len(WHITEOUT) :]}"
                files = {
                    p: s for p, s in files.items() if p != gone and not p.startswith(gone + "/")
                }
            elif entry.regular:
                files[entry.path] = entry.size
            else:
                files.pop(entry.path, None)
    return files


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def summarize(
    image: str, layers: list[Layer], release_root: str = RELEASE_ROOT, top: int = 10
) -> Report:
    """The report of an image from its layers (pure)."""
    files = flatten(layer.entries for layer in layers)
    release = sum(size for path, size in files.items() if _under(path, release_root))
    outside = sorted(
        ((path, size) for path, size in files.items() if not _under(path, release_root)),
        key=lambda item: (-item[1], item[0]),
    )
    return Report(
        image=image,
        flattened=sum(files.values()),
        compressed=sum(layer.compressed for layer in layers),
        release=release,
        layers=len(layers),
        largest=tuple(outside[:top]),
        release_root=release_root,
    )


def read_saved(archive: Path) -> list[Layer]:
    """The layers, in order, of the one image in a `docker save` archive."""
    with tarfile.open(archive) as outer:
        manifest = json.loads(_member(outer, "manifest.json"))
        if len(manifest) != 1:
            raise UserError(f"{archive}: expected one image in the saved archive")
        layers = []
        for name in manifest[0]["Layers"]:
            blob = _member(outer, name)
            if blob[:2] == b"\x1f\x8b":
                compressed, data = len(blob), gzip.decompress(blob)
            else:
                compressed, data = len(gzip.compress(blob, compresslevel=6)), blob
            layers.append(Layer(layer_entries(data), compressed))
        return layers


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    handle = archive.extractfile(name)
    if handle is None:
        raise UserError(f"the saved image has no file {name}")
    return handle.read()


def _docker(*args: str) -> run.Completed:
    return run.run((run.docker(), *args))


def report(image: str, release_root: str = RELEASE_ROOT) -> Report:
    """Save ``image`` from the local engine and report on it."""
    _docker("image", "inspect", "--format", "{{.Id}}", image)
    with tempfile.TemporaryDirectory(prefix="kubenative-report-") as tmp:
        archive = Path(tmp) / "image.tar"
        _docker("save", "-o", str(archive), image)
        return summarize(image, read_saved(archive), release_root)


def human(size: int) -> str:
    """Bytes as MB with one decimal (1 MB = 10^6 bytes, as registries and `docker images`)."""
    return f"{size / 1e6:.1f} MB"


def lines(result: Report) -> Iterator[str]:
    """The report for a person: one fact a line."""
    yield result.image
    yield f"  flattened:   {human(result.flattened):>10}  (files in the image)"
    yield f"  compressed:  {human(result.compressed):>10}  (gzip layers: what a node pulls)"
    yield f"  release:     {human(result.release):>10}  ({result.release_root})"
    yield f"  overhead:    {human(result.overhead):>10}  (everything but the release)"
    yield f"  layers:      {result.layers:>10}"
    if result.largest:
        yield f"  largest files outside {result.release_root}:"
        for path, size in result.largest:
            yield f"    {human(size):>10}  {path}"
