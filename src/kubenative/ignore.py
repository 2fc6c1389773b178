"""The .dockerignore decisions: gitignore translation, fixed rules, and a matcher.

gitignore and dockerignore read the same glob syntax differently:
- a gitignore pattern without a slash matches at any depth; a dockerignore pattern is always
  anchored at the context root, so ``*.ez`` becomes ``**/*.ez``;
- a gitignore pattern with a slash is anchored at the .gitignore's folder; a leading ``/`` only
  anchors, so ``/deps`` becomes ``deps`` (and ``apps/web/deps`` for apps/web/.gitignore);
- a trailing ``/`` (directories only) has no dockerignore equivalent and is dropped.
The matcher follows Docker's rules: patterns are anchored, ``**`` spans folders, a pattern that
matches a folder excludes everything under it, and the last matching pattern wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache


def translate_gitignore(folder: str, lines: Iterable[str]) -> list[str]:
    """The dockerignore patterns equivalent to one .gitignore in ``folder`` ("." for the top)."""
    prefix = "" if folder in (".", "") else folder.rstrip("/") + "/"
    out: list[str] = []
    for raw in lines:
        line = _strip_trailing_space(raw)
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        if negate:
            line = line[1:]
        if line.startswith(("\\#", "\\!")):
            line = line[1:]
        line = line.rstrip("/")
        if not line:
            continue
        if "/" in line:
            body = line.lstrip("/")
            pattern = prefix + body
        else:
            pattern = f"{prefix}**/{line}"
        out.append(("!" if negate else "") + pattern)
    return out


def _strip_trailing_space(line: str) -> str:
    stripped = line.rstrip()
    if stripped.endswith("\\") and len(line) > len(stripped):
        return stripped + " "
    return stripped


@cache
def _compile(pattern: str) -> re.Pattern[str]:
    out = ["^"]
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                body = pattern[i + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end
        elif char == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(char))
        i += 1
    out.append("$")
    return re.compile("".join(out))


def _clean(pattern: str) -> str:
    parts = [p for p in pattern.strip().lstrip("/").split("/") if p not in ("", ".")]
    return "/".join(parts)


def excluded(path: str, patterns: Sequence[str]) -> bool:
    """Whether Docker leaves ``path`` (relative to the context root) out of the build context."""
    path = _clean(path)
    candidates = [path]
    parts = path.split("/")
    candidates.extend("/".join(parts[:n]) for n in range(1, len(parts)))
    result = False
    for raw in patterns:
        negate = raw.startswith("!")
        pattern = _clean(raw[1:] if negate else raw)
        if not pattern:
            continue
        regex = _compile(pattern)
        if any(regex.match(candidate) for candidate in candidates):
            result = not negate
    return result
