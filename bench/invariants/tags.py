"""Was an image tag ever published? Checked without kubenative's own tables:

- ``node:<x.y.z>[-variant]`` against the Node tag history (``/work/shared/data/
  node-image-tags.json``, or any file of that layout);
- ``debian``/``ubuntu`` dated tags, ``alpine:x.y.z`` and official ``elixir`` tags against the
  official-images history (``bench/corpus/base-tags.json``);
- ``hexpm/elixir`` by structure: a full three-part Elixir, a full OTP (two parts or more),
  ``debian-<codename>-<YYYYMMDD>[-slim]`` whose date is a published Debian build of that
  codename (hexpm builds on those), ``ubuntu-<codename>-<YYYYMMDD>`` likewise, or
  ``alpine-<x.y.z>``; a partial version like ``1.15-erlang-25.0`` is never published;
- a tag the project itself names verbatim (its Dockerfiles, CI files) counts as published;
- when kubenative's catalog (``kubenative.catalog``, issue 15) is importable from the measured
  source, a tag it does not know is reported too (see :mod:`bench.invariants.catalog`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from bench.invariants.dockerfile import parse_ref

BASE_TAGS = Path(__file__).resolve().parent.parent / "corpus" / "base-tags.json"
NODE_TAGS = Path("/work/shared/data/node-image-tags.json")

_HEXPM = re.compile(
    r"^(?P<elixir>[0-9][0-9.]*?)(?P<pre>-rc\.?\d+)?-erlang-(?P<otp>[0-9][0-9.]*)-"
    r"(?:(?P<os>debian|ubuntu)-(?P<codename>[a-z]+)-(?P<date>\d{8})(?P<slim>-slim)?"
    r"|alpine-(?P<alpine>[0-9][0-9.]*))$"
)
_NODE = re.compile(r"^(?P<version>\d+\.\d+\.\d+)(?:-(?P<variant>.+))?$")


@dataclass(frozen=True)
class TagVerdict:
    ok: bool | None  # None: not checkable here
    reason: str


class TagData:
    def __init__(self, base: dict[str, object] | None, node: dict[str, object] | None) -> None:
        self.base = base or {}
        self.node = node or {}

    @classmethod
    def load(cls, base_path: Path = BASE_TAGS, node_path: Path = NODE_TAGS) -> TagData:
        def read(path: Path) -> dict[str, object] | None:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return None
            return data if isinstance(data, dict) else None

        return cls(read(base_path), read(node_path))

    def _list(self, key: str) -> set[str]:
        value = self.base.get(key)
        return set(value) if isinstance(value, list) else set()

    def check(self, ref: str, stated: set[str]) -> TagVerdict:
        image = parse_ref(ref)
        if image.tag is None:
            return TagVerdict(None if image.digest else False, "no tag (moves with every push)")
        if ref in stated or f"{image.short}:{image.tag}" in stated:
            return TagVerdict(True, "named verbatim by the project")
        name = image.short
        if image.registry not in (None, "docker.io", "index.docker.io"):
            return TagVerdict(None, f"registry {image.registry} not checked")
        if name == "hexpm/elixir":
            return self._hexpm(image.tag)
        if name == "node":
            return self._node(image.tag)
        if name in ("debian", "ubuntu"):
            return self._dated(name, image.tag)
        if name == "alpine":
            return self._alpine(image.tag)
        if name == "elixir":
            return self._elixir(image.tag)
        return TagVerdict(None, f"{name} not checked")

    def _hexpm(self, tag: str) -> TagVerdict:
        m = _HEXPM.match(tag)
        if not m:
            return TagVerdict(False, f"hexpm/elixir:{tag} is not of hexpm's tag form")
        elixir, otp = m.group("elixir"), m.group("otp")
        if len(elixir.split(".")) != 3:
            return TagVerdict(False, f"Elixir {elixir} is partial: hexpm tags name x.y.z")
        if len(otp.split(".")) < 2:
            return TagVerdict(False, f"OTP {otp} is partial: hexpm tags name the full OTP version")
        if m.group("alpine"):
            alpine = m.group("alpine")
            if len(alpine.split(".")) != 3:
                return TagVerdict(False, f"alpine-{alpine}: hexpm names alpine x.y.z")
            known = self._list("alpine")
            if known and alpine not in known:
                return TagVerdict(False, f"alpine {alpine} was never published")
            return TagVerdict(True, "hexpm form; alpine release published")
        family, codename, date = m.group("os"), m.group("codename"), m.group("date")
        dated = self._list(f"{family}_dated")
        if not dated:
            return TagVerdict(None, "no Debian/Ubuntu tag data")
        if f"{codename}-{date}" not in dated:
            return TagVerdict(False, f"{family}:{codename}-{date} was never published")
        return TagVerdict(True, f"hexpm form; {family} {codename}-{date} published")

    def _node(self, tag: str) -> TagVerdict:
        versions = self.node.get("versions")
        if not isinstance(versions, dict):
            return TagVerdict(None, "no Node tag data")
        m = _NODE.match(tag)
        if not m:
            return TagVerdict(False, f"node:{tag} is not a full x.y.z tag")
        entry = versions.get(m.group("version"))
        if not isinstance(entry, dict):
            return TagVerdict(False, f"Node {m.group('version')} has no published image")
        variant = m.group("variant")
        variants = entry.get("variants") or []
        if variant is None:
            return TagVerdict(True, "published")
        if variant in variants:
            return TagVerdict(True, "published")
        if variant == "slim" and entry.get("slim_debian"):
            return TagVerdict(True, "published")
        if variant == "alpine" and entry.get("alpine"):
            return TagVerdict(True, "published")
        return TagVerdict(
            False, f"node:{tag} was never published (variants: {', '.join(variants)})"
        )

    def _dated(self, family: str, tag: str) -> TagVerdict:
        m = re.fullmatch(r"([a-z]+)-(\d{8})(-slim)?", tag)
        if not m:
            return TagVerdict(None, f"{family}:{tag} is an undated tag (it moves)")
        dated = self._list(f"{family}_dated")
        if not dated:
            return TagVerdict(None, f"no {family} tag data")
        if f"{m.group(1)}-{m.group(2)}" not in dated:
            return TagVerdict(False, f"{family}:{tag} was never published")
        return TagVerdict(True, "published")

    def _alpine(self, tag: str) -> TagVerdict:
        known = self._list("alpine")
        if not known:
            return TagVerdict(None, "no alpine tag data")
        return TagVerdict(tag in known, "published" if tag in known else "never published")

    def _elixir(self, tag: str) -> TagVerdict:
        known = self._list("elixir")
        if not known:
            return TagVerdict(None, "no elixir tag data")
        if tag in known:
            return TagVerdict(True, "published")
        return TagVerdict(False, f"elixir:{tag} was never published")

    def official_elixir_otp(self, tag: str) -> list[int]:
        """The OTP majors an official ``elixir:<tag>`` was built on (empty when unknown)."""
        table = self.base.get("elixir_otp")
        m = re.match(r"^(\d+\.\d+\.\d+)(?:-otp-(\d+))?(?:-(slim|alpine))?$", tag)
        if not isinstance(table, dict) or not m:
            return []
        if m.group(2):
            return [int(m.group(2))]
        variants = table.get(m.group(1)) or {}
        majors = variants.get(m.group(3) or "default") if isinstance(variants, dict) else None
        return list(majors) if isinstance(majors, list) else []


def versions_of(ref: str, data: TagData | None = None) -> dict[str, str | None]:
    """The Elixir, OTP and Node a builder or Node image names (None for what it does not)."""
    image = parse_ref(ref)
    out: dict[str, str | None] = {"elixir": None, "otp": None, "node": None}
    tag = image.tag or ""
    if image.short.endswith("hexpm/elixir") or image.short == "hexpm/elixir":
        m = _HEXPM.match(tag)
        if m:
            out["elixir"] = m.group("elixir") + (m.group("pre") or "")
            out["otp"] = m.group("otp")
    elif image.short == "elixir":
        m = re.match(r"^(\d+\.\d+(?:\.\d+)?)", tag)
        if m:
            out["elixir"] = m.group(1)
        if data is not None:
            majors = data.official_elixir_otp(tag)
            if len(majors) == 1:
                out["otp"] = str(majors[0])
    elif image.short == "node":
        m = _NODE.match(tag)
        if m:
            out["node"] = m.group("version")
    return out


def stated_refs(texts: list[str]) -> set[str]:
    """Image references a project's own files name (``FROM x``, ``image: x``, ``x:tag``)."""
    found: set[str] = set()
    pattern = re.compile(
        r"(?:[a-z0-9.-]+/)?[a-z0-9_.-]+(?:/[a-z0-9_.-]+)*:[A-Za-z0-9][A-Za-z0-9._-]*"
    )
    for text in texts:
        found.update(pattern.findall(text))
    return found
