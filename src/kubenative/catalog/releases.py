"""Elixir and Erlang/OTP releases to date, and which of them work together.

Data: ``data/beam_releases.json`` (release tags and dates, see ``data/README.md``) and
``data/elixir_otp.json`` (Elixir's own compatibility table). Lookups only: nothing here knows a
project.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from kubenative.catalog import versions


def load(name: str) -> Any:
    """A JSON file of ``kubenative/data``."""
    text = resources.files("kubenative").joinpath(f"data/{name}").read_text("utf-8")
    return json.loads(text)


@cache
def _releases() -> dict[str, Any]:
    data: dict[str, Any] = load("beam_releases.json")
    return data


def elixir_versions() -> tuple[str, ...]:
    """Every Elixir release (no release candidates), oldest first."""
    return tuple(_releases()["elixir"])


def otp_versions() -> tuple[str, ...]:
    """Every Erlang/OTP release kubenative knows, oldest first."""
    return tuple(_releases()["otp"])


def elixir_date(version: str) -> str | None:
    entry = _releases()["elixir"].get(version)
    return str(entry["date"]) if entry else None


def otp_date(version: str) -> str | None:
    date = _releases()["otp"].get(version)
    return str(date) if date else None


def elixir_assets(version: str) -> tuple[int, ...]:
    """The OTP majors whose precompiled Elixir (``elixir-otp-<major>.zip``) the release ships."""
    entry = _releases()["elixir"].get(version)
    return tuple(entry["otp_assets"]) if entry else ()


def minor(version: str) -> str:
    """``1.15.8`` → ``1.15``."""
    return ".".join(version.split(".")[:2])


def otp_line(version: str) -> str:
    """An OTP version's patch line, major.minor: ``26.2.5.21`` → ``26.2``, ``29.0.5`` → ``29.0``."""
    return ".".join(version.split(".")[:2])


def newest(found: list[str] | tuple[str, ...]) -> str | None:
    return max(found, key=versions.sort_key, default=None)


def newest_elixir_patches(before: str | None = None) -> tuple[str, ...]:
    """The newest patch of every Elixir minor (released before the date ``before``)."""
    by_minor: dict[str, list[str]] = {}
    for version in elixir_versions():
        date = elixir_date(version) or ""
        if before is None or date < before:
            by_minor.setdefault(minor(version), []).append(version)
    return tuple(str(newest(found)) for found in by_minor.values())


def newest_otp_patches(before: str | None = None) -> tuple[str, ...]:
    """The newest patch of every OTP major.minor line (released before the date ``before``)."""
    by_line: dict[str, list[str]] = {}
    for version in otp_versions():
        date = otp_date(version) or ""
        if before is None or date < before:
            by_line.setdefault(otp_line(version), []).append(version)
    return tuple(str(newest(found)) for found in by_line.values())


# ---- Elixir's compatibility table ----


@cache
def _compatibility() -> dict[str, Any]:
    table: dict[str, Any] = load("elixir_otp.json")["elixir"]
    return table


def otp_range(elixir: str) -> tuple[int, int] | None:
    """The OTP majors an Elixir release supports (Elixir's compatibility table), or None."""
    entry = _compatibility().get(minor(elixir))
    if entry is None:
        return None
    low, high = entry["otp"]
    for otp_major, since in entry.get("from_patch", {}).items():
        if versions.sort_key(elixir) >= versions.sort_key(since):
            high = max(high, int(otp_major))
    return int(low), int(high)


def compatible(elixir: str, otp: str) -> bool:
    """Whether Elixir's table lists the OTP's major for this Elixir (unknown minors: yes)."""
    supported = otp_range(elixir)
    otp_major = versions.major(otp)
    return supported is None or (
        otp_major is not None and supported[0] <= otp_major <= supported[1]
    )


def known_elixir(version: str) -> bool:
    return version in _releases()["elixir"]


def known_otp(version: str) -> bool:
    return version in _releases()["otp"]


def released_before(tool: str, version: str, date: str) -> bool:
    """Whether ``version`` was out before ``date``: its own date, or that of a later patch of
    its line (patches of a line come out in order, so an unlisted patch below a listed one was
    out by then)."""
    if tool == "elixir":
        own, line, dated = elixir_date(version), minor(version), elixir_versions()
        date_of = elixir_date
    else:
        own, line, dated = otp_date(version), otp_line(version), otp_versions()
        date_of = otp_date
    if own is not None:
        return own < date
    key = versions.sort_key(version)
    later = [
        v
        for v in dated
        if (minor(v) if tool == "elixir" else otp_line(v)) == line and versions.sort_key(v) > key
    ]
    return any((date_of(v) or "9999") < date for v in later)
