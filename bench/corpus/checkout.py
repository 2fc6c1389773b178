"""Check the projects of ``projects.tsv`` out of their git mirrors into plain trees.

    python bench/corpus/checkout.py MIRRORS CORPUS [--projects bench/corpus/projects.tsv]

``MIRRORS/<owner>+<name>/repo`` is what the search tool's ``fetch github:<owner>/<name>``
leaves (a bare git directory, or a clone with ``.git``); each row's commit is written to
``CORPUS/<dir>/`` as plain files (no ``.git``). Snapshots lack files of 4 MiB and more, so
``git archive`` stops at the first missing blob; this skips them and says how many it skipped.
Nothing is built or run. Held-out repositories (``--held-out``) are refused.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.sweep import HELD_OUT, PROJECTS, held_out, read_projects, refused  # noqa: E402


def git_dir(mirrors: Path, repo: str) -> Path:
    base = mirrors / repo.replace("/", "+") / "repo"
    return base / ".git" if (base / ".git").is_dir() else base


def checkout(gitdir: Path, commit: str, dest: Path) -> int:
    """Write ``commit``'s files under ``dest``; return how many blobs the snapshot lacks."""
    listing = subprocess.run(
        ["git", f"--git-dir={gitdir}", "ls-tree", "-r", "-z", commit],
        check=True,
        capture_output=True,
    ).stdout
    proc = subprocess.Popen(
        ["git", f"--git-dir={gitdir}", "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None
    missing = 0
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, path = record.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind != b"blob":
            continue  # submodules
        proc.stdin.write(sha + b"\n")
        proc.stdin.flush()
        header = proc.stdout.readline()
        if header.endswith(b"missing\n"):
            missing += 1
            continue
        data = proc.stdout.read(int(header.split()[2]))
        proc.stdout.read(1)
        target = os.path.join(os.fsencode(dest), path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if mode == b"120000":
            if os.path.lexists(target):
                os.remove(target)
            os.symlink(data, target)
            continue
        with open(target, "wb") as handle:
            handle.write(data)
        if mode == b"100755":
            os.chmod(target, 0o755)
    proc.stdin.close()
    proc.wait()
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mirrors", help="folder of <owner>+<name>/repo git mirrors")
    parser.add_argument("corpus", help="where the plain trees go")
    parser.add_argument("--projects", default=str(PROJECTS))
    parser.add_argument("--held-out", default=str(HELD_OUT))
    args = parser.parse_args(argv)
    entries = read_projects(Path(args.projects))
    blocked = refused(entries, held_out(Path(args.held_out)))
    if blocked:
        print(f"checkout: error: held out: {', '.join(e.repo for e in blocked)}", file=sys.stderr)
        return 1
    done: set[str] = set()
    for entry in entries:
        if entry.dir in done:
            continue
        done.add(entry.dir)
        dest = Path(args.corpus) / entry.dir
        if dest.exists():
            print(f"{entry.dir}: exists, left alone")
            continue
        gitdir = git_dir(Path(args.mirrors), entry.repo)
        if not gitdir.is_dir():
            print(f"{entry.dir}: no mirror at {gitdir} (fetch github:{entry.repo})")
            continue
        missing = checkout(gitdir, entry.commit, dest)
        print(
            f"{entry.dir}: {entry.commit[:10]}"
            + (f" ({missing} large files absent)" if missing else "")
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
