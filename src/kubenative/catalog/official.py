"""The official ``elixir`` images (Docker's library), for Elixir below 1.10.

hexpm has built no Elixir below 1.10 since October 2022; the tags it built before sit on base
images of 2020-2022 that Docker Hub prunes when nobody pulls them. So an Elixir 1.6 to 1.9
project (Distillery before 2.1 needs one) builds on an official ``elixir:<version>-slim`` image,
which Docker's library keeps: Debian-based, ``FROM erlang:<major>-slim``. Those tags move while
they are listed (rebuilt whenever their parent changes) and freeze when they leave the manifest,
so each one's Debian release and OTP are those of its last build (``data/official_elixir.json``,
derived from the manifests' history).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from kubenative.catalog import releases
from kubenative.catalog.builds import Build

RULE = "official elixir image, {listed}"


@cache
def builds() -> tuple[Build, ...]:
    tags: dict[str, dict[str, Any]] = releases.load("official_elixir.json")["tags"]
    found = []
    for elixir, entry in tags.items():
        start, end = entry["listed"]
        listed = f"listed {start} to {end}" if end else f"listed since {start}"
        found.append(
            Build(
                elixir=elixir,
                otp=str(entry["otp"]),
                family="debian",
                release=str(entry["debian"]),
                image=f"elixir:{elixir}-slim",
                origin="official",
                rule=RULE.format(listed=listed),
                libssl=entry.get("libssl"),
            )
        )
    return tuple(found)
