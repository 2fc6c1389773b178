"""Which context paths a ``.dockerignore`` keeps out, by BuildKit's rules (moby/patternmatcher):
patterns are cleaned and anchored at the context root, ``*``/``?``/``[...]`` never cross ``/``,
``**`` matches any number of folders, a pattern that matches a folder excludes what is under
it, ``!`` re-includes, and the last matching line wins."""

from __future__ import annotations

import fnmatch
import posixpath
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    line: int
    pattern: str
    exclude: bool

    def matches(self, path: str) -> bool:
        return _match(self.pattern.split("/"), path.split("/"))


def _match(pattern: list[str], parts: list[str]) -> bool:
    """Segment by segment: ``**`` takes any number of segments, any other segment is a
    shell-style match within one segment (``*``, ``?``, ``[...]``)."""
    if not pattern:
        return not parts
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(_match(rest, parts[i:]) for i in range(len(parts) + 1))
    if not parts:
        return False
    segment = head.replace("**", "*")
    return fnmatch.fnmatchcase(parts[0], segment) and _match(rest, parts[1:])


def parse(text: str) -> list[Rule]:
    rules: list[Rule] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exclude = True
        if line.startswith("!"):
            exclude, line = False, line[1:].strip()
        line = posixpath.normpath(line.lstrip("/")) if line.strip("/") else "."
        if line == ".":
            continue
        rules.append(Rule(number, line, exclude))
    return rules


def excluded_by(rules: list[Rule], path: str) -> Rule | None:
    """The rule that keeps ``path`` out of the context, or None when it is sent."""
    path = posixpath.normpath(path).lstrip("/")
    parents = []
    parts = path.split("/")
    for i in range(1, len(parts) + 1):
        parents.append("/".join(parts[:i]))
    verdict: Rule | None = None
    for rule in rules:
        if any(rule.matches(candidate) for candidate in parents):
            verdict = rule if rule.exclude else None
    return verdict
