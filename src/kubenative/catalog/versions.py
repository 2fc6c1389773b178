"""Version numbers and Elixir-style version requirements (``~> 1.14``, ``>= 1.12.0 and < 2.0.0``).

Only what kubenative needs to pick base images: numeric versions compare as tuples, pre-release
suffixes are ignored, and an unparsable requirement matches nothing (the caller then falls back to
a documented default and says so).
"""

from __future__ import annotations

import re
from functools import cache

_NUMERIC = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?")


@cache
def parse_version(text: str) -> tuple[int, ...] | None:
    """``"1.16.2"`` → ``(1, 16, 2)``; ``"26.2.5.3"`` → ``(26, 2, 5, 3)``; ``"lts"`` → ``None``."""
    match = _NUMERIC.match(text.strip())
    if not match:
        return None
    return tuple(int(part) for part in match.groups() if part is not None)


def _pad(version: tuple[int, ...], size: int = 4) -> tuple[int, ...]:
    return version + (0,) * (size - len(version))


def _compare(left: tuple[int, ...], right: tuple[int, ...]) -> int:
    a, b = _pad(left), _pad(right)
    return (a > b) - (a < b)


def _clause_matches(clause: str, version: tuple[int, ...]) -> bool | None:
    clause = clause.strip()
    match = re.fullmatch(r"(~>|>=|<=|==|!=|>|<|=)?\s*(v?[\d.]+)", clause)
    if not match:
        return None
    operator = match.group(1) or "=="
    wanted = parse_version(match.group(2))
    if wanted is None:
        return None
    cmp = _compare(version, wanted)
    if operator == "~>":
        if cmp < 0:
            return False
        # ~> 1.14 allows < 2.0; ~> 1.14.0 allows < 1.15.0
        head = wanted[:-1] if len(wanted) > 1 else wanted
        upper = (*head[:-1], head[-1] + 1)
        return _compare(version, upper) < 0
    return {
        ">=": cmp >= 0,
        "<=": cmp <= 0,
        ">": cmp > 0,
        "<": cmp < 0,
        "!=": cmp != 0,
        "==": cmp == 0,
        "=": cmp == 0,
    }[operator]


@cache
def satisfies(version: str, requirement: str) -> bool:
    """Whether ``version`` meets an Elixir ``Version`` requirement string."""
    parsed = parse_version(version)
    if parsed is None:
        return False
    for alternative in re.split(r"\s+or\s+|\s*\|\|\s*", requirement.strip()):
        results = [
            _clause_matches(clause, parsed) for clause in re.split(r"\s+and\s+", alternative)
        ]
        if results and all(result is True for result in results):
            return True
    return False


def is_requirement(text: str) -> bool:
    """Whether ``text`` is a requirement this module understands."""
    return all(
        _clause_matches(clause, (0,)) is not None
        for alternative in re.split(r"\s+or\s+|\s*\|\|\s*", text.strip())
        for clause in re.split(r"\s+and\s+", alternative)
    )


@cache
def sort_key(version: str) -> tuple[int, ...]:
    return _pad(parse_version(version) or ())


def major(version: str) -> int | None:
    parsed = parse_version(version)
    return parsed[0] if parsed else None
