"""How the release names its node, gets its cookie and listens for distribution: the facts the
Kubernetes manifests need to cluster it, read from the release's own templates.

- Mix releases (Elixir 1.9+): the release script sources ``rel/env.sh.eex`` (rendered into the
  release) *before* it defaults ``RELEASE_NODE``, ``RELEASE_DISTRIBUTION``, ``RELEASE_COOKIE``
  and the vm.args paths from the environment, so an unconditional ``export RELEASE_NODE=...``
  there beats the pod's value (``${RELEASE_NODE:-...}`` does not). ``rel/vm.args.eex`` and, from
  Elixir 1.12, ``rel/remote.vm.args.eex`` hold VM flags; EEx tags in them are filled at build.
- Distillery 2: the node's name and cookie are the ``-name``/``-setcookie`` lines of its
  vm.args (``set vm_args: "rel/vm.args"`` in rel/config.exs, else Distillery's own template:
  ``<release>@127.0.0.1`` and the cookie baked at build), with ``${VAR}`` filled from the
  environment at boot when ``REPLACE_OS_VARS`` is set. ``set erl_opts:`` becomes the
  ``ERL_OPTS`` default, which only the commands that start the VM use.
- A fixed distribution port in those files (``-erl_epmd_port N``, or
  ``-kernel inet_dist_listen_min N inet_dist_listen_max N``) is kept: it is the project's choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kubenative.project import config_files
from kubenative.project.reading import read_or_none

_ASSIGN = re.compile(r"^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)=(.*)$")
_OPENS = re.compile(r"^\s*(case|if)\b")
_CLOSES = re.compile(r"^\s*(esac|fi)\b")
_PORT_FLAGS = (
    re.compile(r"-erl_epmd_port\s+(\d+)"),
    re.compile(r"inet_dist_listen_min\s+(\d+)"),
)


@dataclass(frozen=True)
class VmArgs:
    """A vm.args template of the project: its flag lines, what kubenative cannot copy."""

    path: str
    lines: tuple[str, ...] = ()  # flag lines without EEx, comments and node name/cookie
    templated: tuple[str, ...] = ()  # "file:line" of lines holding EEx (filled at build)
    name: str | None = None  # the -name/-sname value (Distillery)
    name_flag: str | None = None  # "-name" or "-sname"
    cookie: str | None = None  # the -setcookie value (Distillery)
    dist_port: int | None = None  # a fixed distribution port set there
    epmdless: bool = False  # -start_epmd false

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "name": self.name,
            "cookie": self.cookie,
            "dist_port": self.dist_port,
            "epmdless": self.epmdless,
        }


@dataclass(frozen=True)
class Distribution:
    vm_args: VmArgs | None = None
    remote_vm_args: VmArgs | None = None
    # (variable, value as written, file:line): env.sh assignments that replace the value the
    # pod gives
    env_sh: tuple[tuple[str, str, str], ...] = ()
    erl_opts: str | None = None  # Distillery's `set erl_opts:`

    def to_json(self) -> dict[str, Any]:
        return {
            "vm_args": self.vm_args.to_json() if self.vm_args else None,
            "remote_vm_args": self.remote_vm_args.to_json() if self.remote_vm_args else None,
            "env_sh_overrides": [{"name": n, "value": v, "where": w} for n, v, w in self.env_sh],
            "erl_opts": self.erl_opts,
        }


def read(root: Path, tool: str | None, templates: str) -> Distribution:
    """The distribution facts of the release built by ``tool`` (templates in ``templates``)."""
    if tool == "distillery":
        vm_path, erl_opts = _distillery_settings(root)
        vm_args = _vm_args(root, vm_path, distillery=True) if vm_path else None
        return Distribution(vm_args=vm_args, erl_opts=erl_opts)
    folder = templates.strip("/") or "rel"
    return Distribution(
        vm_args=_vm_args(root, f"{folder}/vm.args.eex", distillery=False),
        remote_vm_args=_vm_args(root, f"{folder}/remote.vm.args.eex", distillery=False),
        env_sh=_env_sh(root, f"{folder}/env.sh.eex"),
    )


def _read(root: Path, rel: str) -> str | None:
    return read_or_none(root / rel)


def _vm_args(root: Path, rel: str, *, distillery: bool) -> VmArgs | None:
    source = _read(root, rel)
    if source is None:
        return None
    lines: list[str] = []
    templated: list[str] = []
    name = flag = cookie = None
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        words = line.split(None, 1)
        if words[0] in ("-name", "-sname") and len(words) > 1:
            flag, name = words[0], words[1].strip()  # may hold EEx: <%= release_name %>@...
            continue
        if words[0] == "-setcookie" and len(words) > 1:
            cookie = words[1].strip()
            continue
        if "<%" in line:
            templated.append(f"{rel}:{number}")
            continue
        lines.append(line)
    text_all = " ".join(lines)
    port = None
    for pattern in _PORT_FLAGS:
        match = pattern.search(text_all)
        if match:
            port = int(match.group(1))
            break
    return VmArgs(
        path=rel,
        lines=tuple(lines),
        templated=tuple(templated),
        name=name if distillery else None,
        name_flag=flag if distillery else None,
        cookie=cookie if distillery else None,
        dist_port=port,
        epmdless=bool(re.search(r"-start_epmd\s+false", text_all)),
    )


def _env_sh(root: Path, rel: str) -> tuple[tuple[str, str, str], ...]:
    """Unconditional assignments (not inside case/if, not a ``${VAR:-...}`` default of the same
    variable): they replace whatever the pod's environment gave that variable."""
    source = _read(root, rel)
    if source is None:
        return ()
    found: list[tuple[str, str, str]] = []
    depth = 0
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.split("#", 1)[0] if raw.lstrip().startswith("#") else raw
        if not line.strip():
            continue
        if _OPENS.match(line):
            depth += 1
        if _CLOSES.match(line):
            depth = max(0, depth - 1)
            continue
        match = _ASSIGN.match(line)
        if not match or depth:
            continue
        name, value = match.groups()
        if f"${{{name}:-" not in value and f"${{{name}-" not in value:
            found.append((name, _unquote(value.strip()), f"{rel}:{number}"))
    return tuple(found)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _distillery_settings(root: Path) -> tuple[str | None, str | None]:
    """``set vm_args: "..."`` and ``set erl_opts: "..."`` of rel/config.exs that reach the
    release Distillery builds (``config_files.distillery_sets``: its environment or a release; the
    last one set wins, as in Distillery's profile merge)."""
    source = _read(root, "rel/config.exs")
    if source is None:
        return None, None

    def last(key: str) -> str | None:
        values = [v for v in config_files.distillery_settings(source, key) if isinstance(v, str)]
        return values[-1] if values else None

    return last("vm_args"), last("erl_opts")
