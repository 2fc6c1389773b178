"""A builder image known to exist: its Elixir, OTP, OS release and the runtime image to pair."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kubenative.catalog import distros
from kubenative.catalog.distros import OsFamily

Origin = Literal["hexpm", "official", "stated"]


@dataclass(frozen=True)
class Build:
    """One builder image: ``image`` carries Elixir ``elixir`` on OTP ``otp`` on ``release`` of
    ``family`` (``bookworm-20240513``, ``stretch``, ``3.19.1``). ``origin`` says who publishes it:
    hexpm (``hexpm/elixir``), the official ``elixir`` images, or the project itself (a full tag
    its own files state); ``rule`` says why kubenative knows it exists."""

    elixir: str
    otp: str
    family: OsFamily
    release: str
    image: str
    origin: Origin
    rule: str
    libssl: str | None = None  # the OpenSSL package OTP's crypto links against (None: the OS's)

    @property
    def codename(self) -> str:
        """The Debian release without its date, or the Alpine release."""
        return distros.codename(self.release) if self.family == "debian" else self.release

    @property
    def runtime(self) -> str:
        """The bare OS image of the same release, for the runtime stage."""
        return distros.runtime_image(self.family, self.release)

    @property
    def archived(self) -> bool:
        """Whether the OS release's packages left the mirrors (apt needs Debian's archive)."""
        return distros.archived(self.family, self.release)


def hexpm_image(elixir: str, otp: str, family: OsFamily, release: str) -> str:
    """``hexpm/elixir:<elixir>-erlang-<otp>-debian-<release>-slim`` (or ``-alpine-<release>``)."""
    if family == "alpine":
        return f"hexpm/elixir:{elixir}-erlang-{otp}-alpine-{release}"
    return f"hexpm/elixir:{elixir}-erlang-{otp}-debian-{release}-slim"
