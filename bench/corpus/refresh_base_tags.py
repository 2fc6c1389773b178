"""Rebuild ``base-tags.json``: every tag of the official ``debian``, ``ubuntu``, ``alpine`` and
``elixir`` images that was ever listed for publication, and the OTP major each official
``elixir:X.Y.Z`` tag was built on. The sweep checks image tags against it (invariant 4).

Reads two git histories (bare mirrors, e.g. from the search tool's ``fetch``):
``docker-library/official-images`` (the ``library/<image>`` manifests, both the old
``tag: git://...`` lines and the ``Tags:`` lines) and ``erlef/docker-elixir`` and its
predecessor ``c0b/docker-elixir`` (each ``<dir>/Dockerfile``'s ``FROM erlang:N`` and
``ELIXIR_VERSION``).

    python bench/corpus/refresh_base_tags.py OFFICIAL_IMAGES_GIT_DIR DOCKER_ELIXIR_GIT_DIR...
"""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "base-tags.json"
_OLD_LINE = re.compile(r"^\+\s*([A-Za-z0-9][A-Za-z0-9._, -]*?):\s*(?:git|https?)://")
_DATED = re.compile(r"^([a-z]+)-(\d{8})(?:-slim)?$")


def _git(git_dir: str, *args: str) -> str:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True, text=True
    ).stdout


def manifest_tags(git_dir: str, image: str) -> set[str]:
    """Every tag any revision of ``library/<image>`` added."""
    log = _git(git_dir, "log", "-p", "--format=", "--", f"library/{image}")
    tags: set[str] = set()
    for line in log.splitlines():
        if line.startswith("+Tags:"):
            tags.update(t.strip() for t in line[len("+Tags:") :].split(",") if t.strip())
            continue
        match = _OLD_LINE.match(line)
        if match:
            tags.update(t.strip() for t in match.group(1).split(",") if t.strip())
    return tags


def elixir_otp(git_dir: str, out: dict[str, dict[str, list[int]]]) -> None:
    """Elixir version -> {variant: OTP majors} over the whole history of a docker-elixir repo
    (a tag rebuilt on a newer OTP lists both)."""
    commits = _git(git_dir, "rev-list", "HEAD").split()
    seen_blobs: set[str] = set()
    for commit in commits:
        for row in _git(git_dir, "ls-tree", "-r", commit).splitlines():
            meta, _, path = row.partition("\t")
            if not path.endswith("Dockerfile"):
                continue
            blob = meta.split()[2]
            if blob in seen_blobs:
                continue
            seen_blobs.add(blob)
            text = _git(git_dir, "cat-file", "-p", blob)
            base = re.search(r"^FROM\s+erlang:(\d+)(?:\.[0-9.]+)?(-\S+)?", text, re.M)
            version = re.search(r'ELIXIR_VERSION="?v?(\d+\.\d+\.\d+(?:-rc\.?\d+)?)', text)
            if not base or not version:
                continue
            variant = (base.group(2) or "").lstrip("-") or "default"
            majors = out.setdefault(version.group(1), {}).setdefault(variant, [])
            if int(base.group(1)) not in majors:
                majors.append(int(base.group(1)))
                majors.sort()


def main(official: str, *docker_elixir: str) -> None:
    debian = manifest_tags(official, "debian")
    ubuntu = manifest_tags(official, "ubuntu")
    dated: dict[str, list[str]] = {"debian": [], "ubuntu": []}
    for family, tags in (("debian", debian), ("ubuntu", ubuntu)):
        dated[family] = sorted(
            {f"{m.group(1)}-{m.group(2)}" for t in tags if (m := _DATED.match(t))}
        )
    alpine = sorted(
        t for t in manifest_tags(official, "alpine") if re.fullmatch(r"\d+\.\d+(\.\d+)?", t)
    )
    elixir = sorted(manifest_tags(official, "elixir"))
    otp: dict[str, dict[str, list[int]]] = {}
    for git_dir in docker_elixir:
        elixir_otp(git_dir, otp)
    data = {
        "source": "docker-library/official-images library/{debian,ubuntu,alpine,elixir} history "
        f"(to {_git(official, 'log', '-1', '--format=%cs', 'HEAD').strip()}); "
        "erlef/docker-elixir and c0b/docker-elixir Dockerfiles (FROM erlang:N): "
        "the OTP of each elixir tag",
        "generated": datetime.date.today().isoformat(),
        "debian_dated": dated["debian"],
        "ubuntu_dated": dated["ubuntu"],
        "alpine": alpine,
        "elixir": elixir,
        "elixir_otp": otp,
    }
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {len(data['debian_dated'])} debian, {len(elixir)} elixir tags")


if __name__ == "__main__":
    main(sys.argv[1], *sys.argv[2:])
