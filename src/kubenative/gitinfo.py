"""What the image tags come from: the commit's short sha (``-dirty`` with uncommitted changes)
and the branch name, made safe for an image tag. Reads git only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kubenative.docker.run import run
from kubenative.errors import UserError

DEFAULT_BRANCH = "main"
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class GitInfo:
    sha: str  # short sha, "-dirty" appended when the work tree has changes
    branch: str  # sanitized for a tag
    default_branch: str  # sanitized; where the cache of a new branch is imported from


def tag_safe(name: str) -> str:
    """``name`` as a valid tag part: [A-Za-z0-9_.-], not starting with . or -, 100 chars."""
    cleaned = _UNSAFE.sub("-", name).lstrip(".-")[:100].rstrip(".-")
    return cleaned or "unnamed"


def read(path: Path) -> GitInfo:
    git = ("git", "-C", str(path))
    head = run((*git, "rev-parse", "--short", "HEAD"), check=False)
    if not head.ok:
        if "not a git repository" in head.output:
            raise UserError(
                f"{path} is not in a git repository: kubenative build tags images with the "
                "commit; run `git init` and commit, then build again"
            )
        raise UserError(
            f"{path}: no commit to tag the image with (`git rev-parse HEAD` failed); "
            "commit first, then build again"
        )
    sha = head.output.strip()
    if run((*git, "status", "--porcelain"), check=True).output.strip():
        sha += "-dirty"
    branch = run((*git, "rev-parse", "--abbrev-ref", "HEAD"), check=True).output.strip()
    if branch == "HEAD":  # detached, as on many CI runners
        branch = "detached"
    origin = run((*git, "symbolic-ref", "--short", "refs/remotes/origin/HEAD"), check=False)
    default = origin.output.strip().removeprefix("origin/") if origin.ok else DEFAULT_BRANCH
    return GitInfo(sha, tag_safe(branch), tag_safe(default))
