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
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: model → clustering → reading → ignore is a cycle
    from kubenative.project.model import Project


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


class Matcher:
    """Docker's exclusion decision for many paths against one pattern list.

    Each pattern is filed in a trie under its leading literal segments (``apps/web/_build`` under
    apps → web → _build; ``**/*.ez`` at the root): a pattern whose literal prefix is not a prefix
    of the path can match neither the path nor any of its parent folders, since ``*``, ``?`` and
    ``[...]`` never cross a ``/``. So a path is tested only against the patterns filed along its
    own segments, and the work per path stays flat as an umbrella grows (800 apps wrote 3,200
    patterns, tested against every one of 800 copied paths).
    """

    def __init__(self, patterns: Sequence[str]) -> None:
        self._root: dict[str, object] = {}
        for index, raw in enumerate(patterns):
            negate = raw.startswith("!")
            pattern = _clean(raw[1:] if negate else raw)
            if not pattern:
                continue
            node = self._root
            for segment in pattern.split("/"):
                if any(char in segment for char in "*?[\\"):
                    break
                child = node.setdefault(segment, {})
                assert isinstance(child, dict)
                node = child
            entries = node.setdefault("", [])
            assert isinstance(entries, list)
            entries.append((index, negate, _compile(pattern)))

    def _candidates(self, parts: list[str]) -> list[tuple[int, bool, re.Pattern[str]]]:
        found: list[tuple[int, bool, re.Pattern[str]]] = []
        node: object = self._root
        for segment in ["", *parts]:
            if segment:
                node = node.get(segment) if isinstance(node, dict) else None
            if not isinstance(node, dict):
                break
            entries = node.get("")
            if isinstance(entries, list):
                found.extend(entries)
        return sorted(found, key=lambda entry: entry[0])

    def excluded(self, path: str) -> bool:
        """Whether Docker leaves ``path`` (relative to the context root) out of the context."""
        path = _clean(path)
        parts = path.split("/")
        candidates = [path, *("/".join(parts[:n]) for n in range(1, len(parts)))]
        result = False
        for _, negate, regex in self._candidates(parts):
            if any(regex.match(candidate) for candidate in candidates):
                result = not negate
        return result


def excluded(path: str, patterns: Sequence[str]) -> bool:
    """Whether Docker leaves ``path`` (relative to the context root) out of the build context."""
    return Matcher(patterns).excluded(path)


@dataclass(frozen=True)
class IgnoreGroup:
    comment: str
    patterns: tuple[str, ...]


SECRETS = ("**/*.secret.exs", "**/.env", "**/.env.*", "**/.envrc", "**/secrets.env")


def rules(
    project: Project, copied: list[str], dockerfile: str = "Dockerfile"
) -> tuple[IgnoreGroup, ...]:
    """Every .dockerignore group for ``project``, given the paths its Dockerfile copies and
    where the Dockerfile is written (``--output``)."""
    base = "" if project.context_app == "." else f"{project.context_app}/"  # a poncho app
    groups = _without_repeats(
        [*_from_gitignores(project), *_tooling(dockerfile), *_rebuilt(project, base)]
    )
    groups += _never_ignored(groups, copied)
    groups.append(IgnoreGroup("Secrets: never in any layer", SECRETS))
    if project.tracked_secrets:
        groups.append(
            IgnoreGroup(
                "Committed to git and imported by config, so source, not a secret",
                tuple(f"!{base}{path}" for path in project.tracked_secrets),
            )
        )
    return tuple(groups)


def _from_gitignores(project: Project) -> list[IgnoreGroup]:
    groups: list[IgnoreGroup] = []
    for folder, lines in project.gitignores:
        where = ".gitignore" if folder == "." else f"{folder}/.gitignore"
        patterns = tuple(translate_gitignore(folder, lines))
        if patterns:
            groups.append(IgnoreGroup(f"From {where}", patterns))
    return groups


def _tooling(dockerfile: str) -> list[IgnoreGroup]:
    """Version control, CI, editors, Docker and kubenative: none of it goes in the image."""
    return [
        IgnoreGroup(
            "Version control, CI and editors",
            (
                ".git",
                ".github",
                ".gitlab-ci.yml",
                ".circleci",
                ".buildkite",
                "**/.elixir_ls",
                "**/.vscode",
                "**/.idea",
                "**/*.swp",
                "**/*~",
                "**/.DS_Store",
            ),
        ),
        IgnoreGroup(
            "Docker and kubenative files",
            (
                "Dockerfile",
                "Dockerfile.*",
                ".dockerignore",
                *((dockerfile, f"{dockerfile}.dockerignore") if dockerfile != "Dockerfile" else ()),
                "docker-bake.hcl",
                "docker-compose*.yml",
                "compose*.yaml",
                ".kubenative.toml",
            ),
        ),
    ]


def _rebuilt(project: Project, base: str) -> list[IgnoreGroup]:
    """What the image rebuilds or leaves out, in every Mix project of the context: the project
    (``base``), its apps and its path dependencies."""
    app_dirs = [app.path for app in project.apps if app.path != "."]
    prefixes = [base, *[f"{base}{path}/" for path in app_dirs]]
    prefixes += [f"{folder}/" for folder, _ in project.path_deps]
    groups = [
        IgnoreGroup(
            "Build output and dependencies: rebuilt inside the image",
            (
                *[f"{p}_build" for p in prefixes],
                *[f"{p}deps" for p in prefixes],
                "**/node_modules",
                "**/erl_crash.dump",
                "**/*.ez",
            ),
        )
    ]
    static = [
        f"{base}{a.output}/{name}"
        for a in project.assets
        if a.output
        for name in ("assets", "cache_manifest.json")
    ]
    if static:
        groups.append(IgnoreGroup("Built static assets: rebuilt inside the image", tuple(static)))
    groups.append(
        IgnoreGroup(
            "Tests, coverage and docs: not part of the release",
            (
                *[f"{p}test" for p in prefixes],
                *[f"{p}cover" for p in prefixes],
                "doc",
            ),
        )
    )
    return groups


def _never_ignored(groups: list[IgnoreGroup], copied: list[str]) -> list[IgnoreGroup]:
    """The copied paths that ``groups`` would exclude, re-included."""
    matcher = Matcher([pattern for group in groups for pattern in group.patterns])
    keep = tuple(sorted({path for path in copied if matcher.excluded(path)}))
    if not keep:
        return []
    return [
        IgnoreGroup(
            "Copied by the Dockerfile, so never ignored", tuple(f"!{path}" for path in keep)
        )
    ]


def _without_repeats(groups: list[IgnoreGroup]) -> list[IgnoreGroup]:
    """Drop patterns already written by an earlier group, and groups left empty."""
    seen: set[str] = set()
    kept: list[IgnoreGroup] = []
    for group in groups:
        fresh = tuple(p for p in dict.fromkeys(group.patterns) if p not in seen)
        seen.update(fresh)
        if fresh:
            kept.append(IgnoreGroup(group.comment, fresh))
    return kept
