#!/usr/bin/env python3
"""Rewrite kubenative's catalog data (src/kubenative/data/*.json) from local git clones.

    scripts/refresh-catalog.py --official PATH --elixir PATH --clone OWNER/NAME=PATH...

- --official: a clone of docker-library/official-images (the manifests Docker's official
  images are built from: library/debian, library/alpine, library/erlang, library/elixir).
- --elixir: a clone of elixir-lang/elixir (release tags and their release workflow).
- --clone: the repositories those manifests name as GitRepo, for their Dockerfiles:
  erlang/docker-erlang-otp, c0b/docker-elixir and erlef/docker-elixir.

Reads git history only; fetches nothing. The procedure, and what each file means, is in
src/kubenative/data/README.md. Run it, review `git diff src/kubenative/data`, then re-capture
the golden files (KUBENATIVE_CAPTURE=1) and review those diffs too.
"""

from __future__ import annotations

import argparse
import bisect
import json
import re
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src" / "kubenative" / "data"
CODENAMES = ("jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "forky")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )
    return done.stdout


def history(repo: Path, path: str) -> list[tuple[str, str, str]]:
    """(commit, date, text) of every first-parent revision of ``path``, oldest first."""
    out = git(
        repo, "log", "--reverse", "--first-parent", "--format=%H %ad", "--date=short", "--", path
    )
    revisions = []
    for line in out.splitlines():
        commit, date = line.split()
        revisions.append((commit, date, git(repo, "show", f"{commit}:{path}")))
    return revisions


def entries(text: str) -> list[tuple[list[str], str, str | None, str]]:
    """(tags, source repository, commit, directory) of each entry of a library manifest."""
    repo = ""
    if m := re.search(r"^GitRepo:\s*(\S+)", text, re.M):
        repo = m.group(1)
    found = []
    for block in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            if ":" in line and not line.startswith("#"):
                key, value = line.split(":", 1)
                fields[key.strip()] = value.strip()
        if "Tags" in fields:
            source = re.sub(r"^https?://[^/]+/|\.git$", "", fields.get("GitRepo", repo))
            tags = [t.strip() for t in fields["Tags"].split(",")]
            found.append((tags, source, fields.get("GitCommit"), fields.get("Directory", ".")))
    return found


def vkey(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version))


# ---- Debian and Alpine: every dated tag, with the day it first appeared in the manifest ----


def debian_tags(official: Path) -> dict[str, list[list[object]]]:
    first: dict[str, str] = {}
    slim: set[str] = set()
    pattern = re.compile(r"\b((?:" + "|".join(CODENAMES) + r")-\d{8})\b(-slim\b)?")
    for _, date, text in history(official, "library/debian"):
        for tag, suffix in pattern.findall(text):
            first.setdefault(tag, date)
            if suffix:
                slim.add(tag)
    by_codename: dict[str, list[list[object]]] = {}
    for tag, date in sorted(first.items()):
        codename = tag.split("-", 1)[0]
        by_codename.setdefault(codename, []).append([tag.split("-", 1)[1], date, tag in slim])
    return by_codename


def alpine_tags(official: Path) -> list[list[str]]:
    first: dict[str, str] = {}
    for _, date, text in history(official, "library/alpine"):
        for tags, *_ in entries(text):
            for tag in tags:
                if re.fullmatch(r"3\.\d+\.\d+", tag):
                    first.setdefault(tag, date)
    return [[tag, first[tag]] for tag in sorted(first, key=vkey)]


# ---- Elixir and Erlang/OTP releases ----


def elixir_releases(elixir: Path) -> dict[str, dict[str, object]]:
    refs = git(
        elixir, "for-each-ref", "--format=%(refname:short) %(creatordate:short)", "refs/tags"
    )
    found: dict[str, dict[str, object]] = {}
    for line in refs.splitlines():
        name, date = line.split()
        if not re.fullmatch(r"v1\.\d+\.\d+", name):
            continue  # release candidates and moving `-latest` tags are not releases
        workflow = git(elixir, "show", f"{name}:.github/workflows/release.yml")
        assets = sorted({int(m) for m in re.findall(r"^\s*-?\s*otp:\s*(\d+)\s*$", workflow, re.M)})
        found[name[1:]] = {"date": date, "otp_assets": assets}
    return dict(sorted(found.items(), key=lambda kv: vkey(kv[0])))


def otp_version(tag: str) -> str:
    """library/erlang pads versions to four parts (29.0.5 → 29.0.5.0, 25.0 → 25.0.0.0)."""
    parts = tag.split(".")
    while len(parts) > 2 and parts[-1] == "0":
        parts.pop()
    return ".".join(parts)


def otp_releases(official: Path, docker_erlang: Path) -> dict[str, str]:
    first: dict[str, str] = {}
    for _, date, text in history(official, "library/erlang"):
        for tags, *_ in entries(text):
            head = tags[0]
            if re.fullmatch(r"\d+(\.\d+)+", head):
                first.setdefault(otp_version(head), date)
    log = git(docker_erlang, "log", "--reverse", "--format=%H %ad", "--date=short")
    for line in log.splitlines():
        commit, date = line.split()
        patch = git(docker_erlang, "show", "--unified=0", "--format=", commit)
        for version in re.findall(r'^\+ENV OTP_VERSION="(\d+(?:\.\d+)+)"', patch, re.M):
            if date < first.get(version, "9999"):
                first[version] = date
    return dict(sorted(first.items(), key=lambda kv: vkey(kv[0])))


# ---- The official `elixir` images: Debian release and OTP of each -slim tag ----


def official_elixir(official: Path, clones: dict[str, Path]) -> dict[str, dict[str, object]]:
    erlang_states: list[tuple[str, dict[str, tuple[str, str, str | None, str]]]] = []
    for _, date, text in history(official, "library/erlang"):
        state = {}
        for tags, repo, commit, directory in entries(text):
            for tag in tags:
                state[tag] = (repo, commit or "", None, directory)
        erlang_states.append((date, state))
    dates = [d for d, _ in erlang_states]

    def dockerfile(repo: str, commit: str, directory: str) -> str:
        clone = clones.get(repo)
        if clone is None or not commit:
            return ""
        return git(clone, "show", f"{commit}:{directory}/Dockerfile")

    windows: dict[str, list[object]] = {}
    revisions = history(official, "library/elixir")
    for _, date, text in revisions:
        listed = set()
        for tags, repo, commit, directory in entries(text):
            for tag in tags:
                if re.fullmatch(r"1\.\d+\.\d+-slim", tag) and commit:
                    listed.add(tag)
                    window = windows.setdefault(tag, [date, None, None])
                    window[2] = (repo, commit, directory)
        for tag, window in windows.items():
            if tag not in listed and window[1] is None:
                window[1] = date
    result: dict[str, dict[str, object]] = {}
    for tag, (start, end, (repo, commit, directory)) in windows.items():
        source = dockerfile(repo, commit, directory)
        parent = re.search(r"^FROM\s+(\S+)", source, re.M)
        if not parent or not parent.group(1).startswith("erlang:"):
            continue
        parent_tag = parent.group(1).split(":", 1)[1]
        # The tag was rebuilt whenever its parent changed while it was listed: its last build
        # is its parent as it stood the day the tag left the manifest (or today).
        at = bisect.bisect_right(dates, str(end or "9999")) - 1
        if end is not None and dates[at] == end:
            at -= 1  # the parent as it was before the revision that dropped the tag
        # A parent revision whose Dockerfile the clones lack (newer than them): the last one
        # they have, within the tag's listing.
        erlang_file = ""
        while at >= 0 and not erlang_file:
            state = erlang_states[at][1].get(parent_tag)
            if state is not None:
                erlang_repo, erlang_commit, _, erlang_dir = state
                erlang_file = dockerfile(erlang_repo, erlang_commit, erlang_dir)
            if erlang_states[at][0] < start:
                break  # the parent as the tag found it when it was first listed
            at -= 1
        base = re.search(r"^FROM\s+debian:(\w+)", erlang_file, re.M)
        otp = re.search(r'OTP_VERSION="([\d.]+)', erlang_file)
        ssl = sorted(set(re.findall(r"\b(libssl[\d.]+[a-z0-9]*)\b", erlang_file)))
        if not base or not otp:
            continue
        result[tag.removesuffix("-slim")] = {
            "debian": base.group(1),
            "otp": otp.group(1),
            "libssl": ssl[-1] if ssl else None,
            "listed": [start, end],
        }
    return dict(sorted(result.items(), key=lambda kv: vkey(kv[0])))


def node_tags(shared: Path) -> dict[str, dict[str, object]]:
    """The version-pinned node tags kubenative can use: per Node version, the -slim tag of each
    Debian release (``<codename>-slim``, or the early ``slim`` with the release it was built
    on) and the pinned Alpine variants."""
    data = json.loads(shared.read_text(encoding="utf-8"))["versions"]
    found: dict[str, dict[str, object]] = {}
    for version, entry in sorted(data.items(), key=lambda kv: vkey(kv[0])):
        variants = entry["variants"]
        debian = {
            v.removesuffix("-slim"): v
            for v in variants
            if v.endswith("-slim") and v.removesuffix("-slim") in CODENAMES
        }
        if "slim" in variants and entry.get("slim_debian") in CODENAMES:
            debian.setdefault(entry["slim_debian"], "slim")
        alpine = [v for v in variants if re.fullmatch(r"alpine3\.\d+", v)]
        if debian or alpine:
            found[version] = {"debian": debian, "alpine": alpine}
    return found


def to_text(value: object, depth: int = 0, flat: int = 3) -> str:
    """JSON with one line per entry from nesting level ``flat`` down (small, diff-friendly)."""
    if depth >= flat or not isinstance(value, dict | list) or not value:
        return json.dumps(value, separators=(", ", ": "))
    pad, inner = " " * depth, " " * (depth + 1)
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(k)}: {to_text(v, depth + 1, flat)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    items = [f"{inner}{to_text(v, depth + 1, flat)}" for v in value]
    return "[\n" + ",\n".join(items) + f"\n{pad}]"


def dump(name: str, data: dict[str, object], flat: int = 2) -> None:
    path = DATA / name
    path.write_text(to_text(data, 0, flat) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(DATA.parent.parent.parent)}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--official", type=Path, required=True, help="official-images clone")
    parser.add_argument("--elixir", type=Path, required=True, help="elixir-lang/elixir clone")
    parser.add_argument(
        "--clone",
        action="append",
        default=[],
        metavar="OWNER/NAME=PATH",
        help="a clone the manifests name as GitRepo (erlang/docker-erlang-otp, "
        "c0b/docker-elixir, erlef/docker-elixir)",
    )
    parser.add_argument(
        "--node-tags",
        type=Path,
        help="the shared node-image-tags.json (the official node image's published tags)",
    )
    args = parser.parse_args(argv)
    clones = {name: Path(path) for name, _, path in (c.partition("=") for c in args.clone)}
    if "erlang/docker-erlang-otp" not in clones:
        parser.error("--clone erlang/docker-erlang-otp=PATH is needed")
    official, elixir = args.official, args.elixir
    stamp = git(official, "log", "-1", "--format=%ad %h", "--date=short").strip()
    dump(
        "debian_tags.json",
        {
            "source": f"library/debian in docker-library/official-images ({stamp})",
            "fields": {
                "<codename>": "[date suffix of each <codename>-<date> tag, first listed, whether "
                "<codename>-<date>-slim was listed too]"
            },
            "tags": debian_tags(official),
        },
        flat=3,
    )
    dump(
        "alpine_tags.json",
        {
            "source": f"library/alpine in docker-library/official-images ({stamp})",
            "fields": {"tags": "[each 3.x.y tag, first listed]"},
            "tags": alpine_tags(official),
        },
    )
    elixir_stamp = git(elixir, "log", "-1", "--format=%ad %h", "--date=short").strip()
    dump(
        "beam_releases.json",
        {
            "source": {
                "elixir": f"release tags of elixir-lang/elixir ({elixir_stamp}); otp_assets: the "
                "Erlang/OTP majors its release workflow builds elixir-otp-<major>.zip for",
                "otp": f"library/erlang in docker-library/official-images ({stamp}) and the "
                "Dockerfiles of erlang/docker-erlang-otp; date: the first day either lists it",
            },
            "elixir": elixir_releases(elixir),
            "otp": otp_releases(official, clones["erlang/docker-erlang-otp"]),
        },
    )
    dump(
        "official_elixir.json",
        {
            "source": f"library/elixir and library/erlang in docker-library/official-images "
            f"({stamp}), with the Dockerfiles they name",
            "fields": {
                "debian": "the Debian release of the -slim tag's last build",
                "otp": "the Erlang/OTP of that build",
                "libssl": "the OpenSSL package that OTP's crypto links against",
                "listed": "first and last day the tag was in the manifest (null: still listed)",
            },
            "tags": official_elixir(official, clones),
        },
    )
    if args.node_tags:
        source = json.loads(args.node_tags.read_text(encoding="utf-8"))
        dump(
            "node_tags.json",
            {
                "source": source["source"],
                "covers": source["covers"],
                "fields": {
                    "debian": "Debian release -> the tag suffix of its slim image (`slim`: the "
                    "early tags, built on the release named)",
                    "alpine": "the pinned Alpine variants",
                },
                "versions": node_tags(args.node_tags),
            },
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
