"""Elixir version requirements (``~> 1.6``, ``>= 1.9.0 and < 2.0.0``, ``1.11.4``) and the
Elixir/OTP compatibility table, written from Elixir's ``Version`` documentation."""

from __future__ import annotations

import contextlib
import json
import re
from importlib import resources
from pathlib import Path

_CLAUSE = re.compile(r"^\s*(~>|>=|<=|==|!=|>|<)?\s*v?(\d+(?:\.\d+){0,2})(-[0-9A-Za-z.-]+)?\s*$")


def parse_version(text: str) -> tuple[int, int, int] | None:
    m = re.match(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?", text.strip())
    if not m:
        return None
    return (int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0))


def matches(version: str, requirement: str) -> bool | None:
    """Whether ``version`` meets ``requirement``; None when the requirement cannot be read."""
    v = parse_version(version)
    if v is None:
        return None
    alternatives = re.split(r"\s+or\s+|\s*\|\|\s*", requirement.strip())
    any_read = False
    for alternative in alternatives:
        clauses = re.split(r"\s+and\s+|\s*&&\s*", alternative)
        results = [_clause(v, c) for c in clauses]
        if None in results:
            continue
        any_read = True
        if all(results):
            return True
    return False if any_read else None


def _clause(v: tuple[int, int, int], clause: str) -> bool | None:
    m = _CLAUSE.match(clause)
    if not m:
        return None
    op, raw = m.group(1) or "==", m.group(2)
    parts = [int(p) for p in raw.split(".")]
    target = tuple(parts + [0] * (3 - len(parts)))
    if op == "~>":
        if len(parts) == 1:
            return None
        upper = (parts[0] + 1, 0, 0) if len(parts) == 2 else (parts[0], parts[1] + 1, 0)
        return target <= v < upper
    return {
        ">=": v >= target,
        "<=": v <= target,
        ">": v > target,
        "<": v < target,
        "==": v == target,
        "!=": v != target,
    }[op]


def otp_table(extra: list[Path] | None = None) -> dict[str, dict[str, object]]:
    """Elixir minor -> {"otp": [low, high], "from_patch": {...}} (kubenative's fact table)."""
    candidates: list[Path] = list(extra or [])
    with contextlib.suppress(ModuleNotFoundError, TypeError):
        candidates.append(Path(str(resources.files("kubenative") / "data" / "elixir_otp.json")))
    for path in candidates:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        table = data.get("elixir") if isinstance(data, dict) else None
        if isinstance(table, dict):
            return table
    return {}


def otp_supported(elixir: str, otp: str, table: dict[str, dict[str, object]]) -> bool | None:
    """Whether Elixir ``elixir`` supports OTP ``otp`` (by major); None when the table is silent."""
    ev, ov = parse_version(elixir), parse_version(otp)
    if ev is None or ov is None:
        return None
    row = table.get(f"{ev[0]}.{ev[1]}")
    if not isinstance(row, dict):
        return None
    bounds = row.get("otp")
    if not isinstance(bounds, list) or len(bounds) != 2:
        return None
    low, high = int(bounds[0]), int(bounds[1])
    if low <= ov[0] <= high:
        return True
    patches = row.get("from_patch")
    if isinstance(patches, dict) and str(ov[0]) in patches:
        since = parse_version(str(patches[str(ov[0])]))
        return since is not None and ev >= since
    return False
