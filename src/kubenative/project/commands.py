"""Programs the application runs at run time, read from its source, and the OS packages that
provide them.

The release carries ERTS and the application, nothing else: a ``System.cmd("ffmpeg", ...)``
that works on a laptop fails in the image with ``:enoent``. Calls read (first argument a
literal, a module attribute or a local function's literal result): ``System.cmd/2,3``,
``System.shell/1,2`` and ``:os.cmd/1,2`` (the first word of the command line),
``MuonTrap.cmd``, ``Porcelain.exec/shell/spawn/spawn_shell``, ``Rambo.run`` and
``System.find_executable``. A command whose name is computed at run time cannot be known: it
is one warning naming the file and line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from tree_sitter import Node

from kubenative.project.elixir_ast import ElixirModule, Evaluator, find_modules
from kubenative.project.elixir_parse import parse_source
from kubenative.project.elixir_tree import arguments, call_name, remote_call, text, walk
from kubenative.project.prod_walk import skipped_in_prod

# (module, function) → whether the first argument is a whole command line (first word = program)
CALLS: dict[tuple[str, str], bool] = {
    ("System", "cmd"): False,
    ("System", "shell"): True,
    ("System", "find_executable"): False,
    ("os", "cmd"): True,
    ("MuonTrap", "cmd"): False,
    ("Porcelain", "exec"): False,
    ("Porcelain", "spawn"): False,
    ("Porcelain", "shell"): True,
    ("Porcelain", "spawn_shell"): True,
    ("Rambo", "run"): False,
    # Take the command line as a list (or ~w sigil): the program is its head.
    ("ExCmd", "stream!"): True,
    ("ExCmd.Process", "start_link"): True,
    ("Exile", "stream!"): True,
    ("Exile.Process", "start_link"): True,
}


def _libraries() -> dict[str, dict[str, Any]]:
    text = resources.files("kubenative").joinpath("data/program_libraries.json").read_text("utf-8")
    libraries: dict[str, dict[str, Any]] = json.loads(text)["libraries"]
    return libraries


# Libraries that run a program for the application (data/program_libraries.json, each with its
# source): depending on one (when: always) means the program must be in the runtime image too;
# waffle and arc (when: transform) run what the project's upload definitions name.
LIBRARIES = _libraries()
DEP_PROGRAMS: dict[str, tuple[str, ...]] = {
    name: tuple(entry["programs"]) for name, entry in LIBRARIES.items() if entry["when"] == "always"
}
# `use Waffle.Definition` / `use Arc.Definition`: its transform/2 names the program.
UPLOAD_DEFINITIONS = ("Waffle.Definition", "Arc.Definition")
# What transform/2 returns that runs nothing.
NO_PROGRAM = frozenset({"skip", "noaction", "ok", "error"})

# Programs every runtime image already has (Debian slim: coreutils, dash, grep, sed, tar...;
# Alpine: busybox), so they need no package.
BASE = frozenset(
    (
        *("sh", "echo", "cat", "ls", "date", "env", "hostname", "uname", "id", "kill", "sleep"),
        *("true", "false", "mkdir", "rm", "rmdir", "cp", "mv", "tar", "gzip", "gunzip", "grep"),
        *("sed", "find", "sort", "head", "tail", "wc", "chmod", "chown", "ln", "touch", "df"),
        *("du", "test", "printf", "tee", "cut", "tr", "xargs", "nproc", "whoami", "stat"),
        *("readlink", "dirname", "basename", "mktemp", "which", "uptime"),
    )
)
# Programs that are not in the base image: (commands, Debian package, Alpine package). None:
# the family has no package for it (a warning says so).
TABLE: tuple[tuple[tuple[str, ...], str | None, str | None], ...] = (
    (("ffmpeg", "ffprobe"), "ffmpeg", "ffmpeg"),
    (("git",), "git", "git"),
    (
        ("convert", "identify", "mogrify", "magick", "composite", "montage"),
        "imagemagick",
        "imagemagick",
    ),
    (("gm",), "graphicsmagick", "graphicsmagick"),
    (("jq",), "jq", "jq"),
    (("curl",), "curl", "curl"),
    (("wget",), "wget", "wget"),
    (("gs",), "ghostscript", "ghostscript"),
    (("pdftotext", "pdftoppm", "pdfinfo", "pdfunite"), "poppler-utils", "poppler-utils"),
    (("pandoc",), "pandoc", "pandoc"),
    (("exiftool",), "libimage-exiftool-perl", "exiftool"),
    (("rsvg-convert",), "librsvg2-bin", "rsvg-convert"),
    (("vips", "vipsthumbnail"), "libvips-tools", "vips-tools"),
    (("tesseract",), "tesseract-ocr", "tesseract-ocr"),
    (("wkhtmltopdf",), "wkhtmltopdf", None),
    (("chromium", "chromium-browser"), "chromium", "chromium"),
    (("psql", "pg_dump", "pg_restore"), "postgresql-client", "postgresql-client"),
    (("mysql", "mysqldump"), "default-mysql-client", "mysql-client"),
    (("sqlite3",), "sqlite3", "sqlite"),
    (("redis-cli",), "redis-tools", "redis"),
    (("zip",), "zip", "zip"),
    (("unzip",), "unzip", "unzip"),
    (("7z",), "p7zip-full", "7zip"),
    (("xz",), "xz-utils", "xz"),
    (("ssh", "scp"), "openssh-client", "openssh-client"),
    (("rsync",), "rsync", "rsync"),
    (("gpg",), "gpg", "gnupg"),
    (("openssl",), "openssl", "openssl"),
    (("ps",), "procps", "procps"),
    (("lame",), "lame", "lame"),
    (("sox",), "sox", "sox"),
    (("python3",), "python3", "python3"),
    # Network tools a VPN or firewall app drives (firezone's fz_wall/fz_vpn run `nft` and
    # `wg`); they also need NET_ADMIN, which the container gets only if you grant it.
    (("nft",), "nftables", "nftables"),
    (("wg", "wg-quick"), "wireguard-tools", "wireguard-tools"),
    (("ip",), "iproute2", "iproute2"),
    # Binary deltas (nerves_hub_web's firmware deltas).
    (("xdelta3",), "xdelta3", "xdelta3"),
    (("node",), "nodejs", "nodejs"),
    (("bash",), None, "bash"),  # Debian's base image has bash
)
# Programs that do nothing useful without a Linux capability the container does not have: the
# Kubernetes manifests drop every capability (k8s/manifests.py), and kubenative never adds one
# by itself; k8s/plan.py warns with the lines to add. Only programs whose main use needs it.
CAPABILITIES: dict[str, str] = {
    "nft": "NET_ADMIN",  # changes the firewall
    "wg": "NET_ADMIN",  # configures WireGuard interfaces
    "wg-quick": "NET_ADMIN",
    "ip": "NET_ADMIN",  # `ip link/addr/route` changes; a read-only `ip addr show` needs none
}
PACKAGES: dict[str, dict[str, str | None]] = {
    command: {"debian": debian, "alpine": alpine}
    for commands, debian, alpine in TABLE
    for command in commands
}


@dataclass(frozen=True)
class Command:
    """A program the application runs; ``name`` is None when it is computed at run time.
    ``stage`` is "compile" for a call in a module body (outside any function): it runs while
    `mix compile` evaluates the module, in the builder, never in the release."""

    name: str | None
    where: str  # file:line
    call: str  # e.g. "System.cmd"
    stage: Literal["run", "compile"] = "run"


def package(command: str, family: str) -> str | None:
    """The package that provides ``command`` on ``family``; None when none is needed (a base
    program, or bash on Debian) or none is known (``known`` tells which)."""
    return PACKAGES.get(command, {}).get(family)


def known(command: str) -> bool:
    return command in BASE or command in PACKAGES


def read(
    root: Path, folders: tuple[str, ...], text_of: Callable[[Path], str]
) -> tuple[Command, ...]:
    """Every program called from the ``.ex`` files under ``folders`` (relative to ``root``)
    that a release can run. Not read, because no release runs them: Mix tasks (files under
    ``lib/mix/`` and ``Mix.Tasks.*`` modules: Mix is not in a release, so ``psql`` or ``git``
    called from a task never reaches the runtime) and code that only dev or test compiles
    (``if Mix.env() == :dev``). Tests and scripts (``test/``, ``*.exs``) are not under
    ``lib/`` and are not read either."""
    found: list[Command] = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*.ex")):
            if not path.is_file():
                continue
            rel = path.relative_to(root).as_posix()
            if "/lib/mix/" in f"/{rel}":
                continue
            found.extend(_commands(text_of(path), rel))
    return tuple(sorted(set(found), key=lambda c: (c.where.split(":")[0], _line(c), c.call)))


def _line(command: Command) -> int:
    return int(command.where.rsplit(":", 1)[1])


def _commands(source: str, rel: str) -> list[Command]:
    tree = parse_source(source, rel)
    modules = find_modules(tree)
    found: list[Command] = []
    seen: set[int] = set()
    # Innermost modules last: a call is evaluated in the module that holds it.
    for module in sorted(modules, key=lambda m: -len(m.name)):
        evaluator = Evaluator(module)
        task = module.name.startswith("Mix.Tasks.")
        for expr in module.body:
            for node in walk(expr):
                spec = remote_call(node)
                if spec not in CALLS or node.start_byte in seen:
                    continue
                seen.add(node.start_byte)
                if task or skipped_in_prod(node):
                    continue  # a Mix task, or code only dev/test compiles
                command = _command(node, spec, evaluator, rel)
                found.append(command if _in_function(node) else replace(command, stage="compile"))
        if not task and any(module.uses(alias) for alias in UPLOAD_DEFINITIONS):
            found.extend(_transforms(module, rel))
    return found


def _in_function(node: Node) -> bool:
    """Whether ``node`` sits in a ``def``/``defp`` body (runs when called), not in the module
    body or an attribute (runs while the module compiles)."""
    parent = node.parent
    while parent is not None:
        if call_name(parent) in ("def", "defp"):
            return True
        parent = parent.parent
    return False


def _transforms(module: ElixirModule, rel: str) -> list[Command]:
    """The programs a waffle/arc definition's ``transform/2`` names: the atom at the head of
    each tuple it can return (``{:convert, "-strip ..."}``, ``{:ffmpeg, fn ... end, :jpg}``);
    ``:noaction``/``:skip`` and functions run nothing."""
    found: list[Command] = []
    library = "Waffle" if module.uses("Waffle.Definition") else "Arc"
    for clause in module.functions.get(("transform", 2), []):
        for expr in clause.body:
            for node in walk(expr):
                if node.type != "tuple" or len(node.named_children) not in (2, 3):
                    continue
                head = node.named_children[0]
                name = text(head)[1:] if head.type == "atom" else ""
                if name and name not in NO_PROGRAM and not name.startswith('"'):
                    where = f"{rel}:{node.start_point[0] + 1}"
                    found.append(Command(name, where, f"{library} transform"))
    return found


def from_deps(deps: list[tuple[str, str]]) -> tuple[Command, ...]:
    """The programs that (package, where it comes from) pairs run, from ``DEP_PROGRAMS``: the
    packages a prod build fetches, directly declared or pulled in (thumbnex brings mogrify)."""
    return tuple(
        Command(program, file, f"the :{name} dependency")
        for name, file in deps
        for program in DEP_PROGRAMS.get(name, ())
    )


def _literal_head(node: Node) -> str | None:
    """The first word of an interpolated command line (``"pdftotext #{file} -"``)."""
    skip = ("comment", "sigil_name", "sigil_modifiers")
    parts = [c for c in node.named_children if c.type not in skip]
    if node.type not in ("string", "charlist", "sigil") or not parts:
        return None
    head = text(parts[0]) if parts[0].type == "quoted_content" else ""
    return head if " " in head.lstrip() else None


def _command(node: Node, spec: tuple[str, str], evaluator: Evaluator, rel: str) -> Command:
    module, function = spec
    call = f"{':' if module == 'os' else ''}{module}.{function}"
    where = f"{rel}:{node.start_point[0] + 1}"
    args = arguments(node)  # `"ffmpeg" |> System.cmd(args)`: the pipe gives the first argument
    value = evaluator.evaluate(args[0]) if args else None
    if isinstance(value, list) and value and isinstance(value[0], str):
        value = value[0]  # MuonTrap/Porcelain also take the command as the head of a list
    if not isinstance(value, str) and CALLS[spec] and args:
        value = _literal_head(args[0])
    if not isinstance(value, str) or not value.strip():
        return Command(None, where, f"{call}({text(args[0]) if args else ''}, ...)")
    program = value.split()[0] if CALLS[spec] else value
    return Command(program.rsplit("/", 1)[-1], where, call)
