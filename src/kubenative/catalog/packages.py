"""Packages whose locked versions limit the Elixir, OTP or Node they build with.

Each rule: a package, a requirement on its locked version, the tool it limits, the range of the
tool's versions it works with (Elixir requirement syntax) and why. Sources: the packages' own
changelogs and support tables. ``project/`` applies them to the lock entries a build really
fetches; ``plan`` solves with the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Tool = Literal["elixir", "otp", "node"]


@dataclass(frozen=True)
class Rule:
    package: str
    requirement: str  # an Elixir version requirement on the locked version
    tool: Tool
    allows: str  # the tool's versions it works with, as an Elixir requirement
    why: str


# mix.lock: Hex packages whose old versions break on a newer OTP or Elixir.
MIX_RULES: tuple[Rule, ...] = (
    Rule(
        "plug_crypto",
        "< 1.2.1",
        "otp",
        "< 24.0.0",
        "uses :crypto.hmac, removed in OTP 24 (plug_crypto 1.2.1 added OTP 24 support)",
    ),
    Rule(
        "plug",
        "< 1.7.0",
        "otp",
        "< 24.0.0",
        "has its own Plug.Crypto, which uses :crypto.hmac, removed in OTP 24 "
        "(moved to plug_crypto in plug 1.7)",
    ),
    Rule(
        "distillery",
        "< 2.1.0",
        "elixir",
        "< 1.9.0",
        "names its task `mix release`, which Elixir 1.9 took for its own releases "
        "(Distillery 2.1 renamed it `mix distillery.release`)",
    ),
)


def _node_sass(requirement: str, low: int | None, high: int) -> Rule:
    allows = f"< {high + 1}.0.0" if low is None else f">= {low}.0.0 and < {high + 1}.0.0"
    span = f"Node {low} to {high}" if low is not None else f"Node up to {high}"
    return Rule(
        "node-sass",
        requirement,
        "node",
        allows,
        f"has binaries for {span} only (its support table); elsewhere node-gyp compiles it "
        "against headers it does not support",
    )


# package-lock.json / yarn.lock / pnpm-lock.yaml: packages whose versions need a given Node.
# node-sass ships binaries only for the Node majors of its day (its README's support table:
# Node 8 from 4.5.3, 10 from 4.9, 11 from 4.10, 12 from 4.12, 13 from 4.13, 14 from 4.14 to
# before 9.0, 15 from 5.0 to before 7.0, 16 from 6.0, 17 in 7.x, 18 and 19 from 8.0, 20 from
# 9.0; 5.x dropped Node below 10, 6.0 below 12, 8.0 below 14, 9.0 below 16).
NPM_RULES: tuple[Rule, ...] = (
    Rule(
        "webpack",
        "< 5.0.0",
        "node",
        "< 17.0.0",
        "hashes with MD4, which OpenSSL 3 (Node >= 17) disables: ERR_OSSL_EVP_UNSUPPORTED",
    ),
    Rule(
        "fibers",
        ">= 0.0.0",
        "node",
        "< 16.0.0",
        "reached its end of life in March 2021 and was never updated for Node 16 (its native "
        "module does not build there; Dart Sass setups of that era pulled it in)",
    ),
    _node_sass("< 4.5.3", None, 7),
    _node_sass(">= 4.5.3 and < 4.9.0", None, 8),
    _node_sass(">= 4.9.0 and < 4.10.0", None, 10),
    _node_sass(">= 4.10.0 and < 4.12.0", None, 11),
    _node_sass(">= 4.12.0 and < 4.13.0", None, 12),
    _node_sass(">= 4.13.0 and < 4.14.0", None, 13),
    _node_sass(">= 4.14.0 and < 5.0.0", None, 14),
    _node_sass(">= 5.0.0 and < 6.0.0", 10, 15),
    _node_sass(">= 6.0.0 and < 7.0.0", 12, 16),
    _node_sass(">= 7.0.0 and < 8.0.0", 12, 17),
    _node_sass(">= 8.0.0 and < 9.0.0", 14, 19),
    _node_sass(">= 9.0.0", 16, 20),
)

# lockfileVersion 1 is written by npm 6, the npm of Node <= 14. npm 7 and later install peer
# dependencies and refuse the conflicts npm 6 ignored (ERESOLVE), so `npm ci` may fail.
NPM6_LOCK = Rule(
    "package-lock.json",
    "lockfileVersion 1",
    "node",
    "< 15.0.0",
    "npm 6 wrote it (the npm of Node <= 14); npm 7+ refuses its peer-dependency conflicts",
)
