"""What a project says it runs when it deploys: evidence of its asset pipeline.

A project that builds its assets with a script whose name no convention gives (``yarn run
compile``, ``npm run build-production``) says so in its own deploy files. kubenative reads them
as shell text, in this order, and follows their commands like any other step
(``project/steps.py``):

1. its own Dockerfiles' RUN lines (the folder each runs in from WORKDIR and ``cd``), the files
   ``dockerfiles.own_dockerfiles`` lists (kubenative's own output is not among them);
2. the Heroku Phoenix static buildpack: ``phoenix_static_buildpack.config`` (``compile=``,
   ``phoenix_relative_path=``, ``assets_path=``) and the compile script it names (``compile`` by
   default), which the buildpack runs from the assets folder with ``$phoenix_dir``,
   ``$assets_dir`` and ``$phoenix_ex`` set;
3. the Elixir buildpack's hooks (``hook_pre_compile``, ``hook_post_compile`` in
   ``elixir_buildpack.config``), run from the project root;
4. a Procfile's commands, fly.toml's ``release_command`` and render.yaml's ``buildCommand``.

Nothing here is run.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kubenative.project import shell
from kubenative.project.config_files import normalize
from kubenative.project.dockerfiles import own_dockerfiles
from kubenative.project.reading import SKIP_DIRS, read_or_none

_KEY_VALUE = re.compile(
    r"""^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"]*)"|'([^']*)'|(\S*))"""
)
_INSTRUCTION = re.compile(r"^\s*([A-Za-z]+)\s+(.*)$", re.S)


@dataclass(frozen=True)
class Commands:
    """Shell text a deploy file runs, where it runs (relative to the project root), the
    variables it sees, and the file (and line) it comes from."""

    origin: str
    text: str
    cwd: str
    variables: tuple[tuple[str, str], ...] = ()


def read(root: Path) -> tuple[Commands, ...]:
    found: list[Commands] = []
    for path, text in own_dockerfiles(root, _text):
        found.extend(_dockerfile(root, path, text))
    found.extend(_phoenix_buildpack(root))
    found.extend(_elixir_buildpack(root))
    found.extend(_procfile(root))
    found.extend(_fly(root))
    found.extend(_render(root))
    return tuple(found)


def _text(path: Path) -> str:
    return read_or_none(path) or ""


def _dockerfile(root: Path, path: Path, text: str) -> list[Commands]:
    rel = path.relative_to(root).as_posix()
    workdir = "/"
    variables: dict[str, str] = {}  # ARG and ENV defaults, for WORKDIR paths only
    result: list[Commands] = []
    for line_no, instruction in _instructions(text):
        match = _INSTRUCTION.match(instruction)
        if not match:
            continue
        op, rest = match.group(1).upper(), match.group(2).strip()
        if op == "FROM":
            workdir = "/"
        elif op == "WORKDIR":
            workdir = _join(workdir, _expand(rest.strip("\"'"), variables))
        elif op in ("ARG", "ENV"):
            for key, value in _assignments(rest):
                variables.setdefault(key, value)
        elif op == "RUN":
            command = _run_text(rest)
            if command:
                result.append(Commands(f"{rel}:{line_no}", command, _project_folder(root, workdir)))
    return result


def _instructions(text: str) -> list[tuple[int, str]]:
    """(first line number, instruction text with continuations joined); heredocs skipped."""
    result: list[tuple[int, str]] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        start = index
        line = lines[index]
        parts = [line]
        while parts[-1].rstrip().endswith("\\") and index + 1 < len(lines):
            index += 1
            next_line = lines[index]
            if next_line.lstrip().startswith("#"):
                parts.append("\\")
                continue
            parts[-1] = parts[-1].rstrip()[:-1]
            parts.append(next_line)
        index += 1
        joined = " ".join(p.strip() for p in parts if p.strip() != "\\")
        heredoc = re.search(r"<<-?\s*['\"]?([A-Za-z_]+)['\"]?", joined)
        if heredoc and joined.upper().startswith("RUN"):
            while index < len(lines) and lines[index].strip() != heredoc.group(1):
                index += 1
            index += 1
            continue
        if joined.strip() and not joined.lstrip().startswith("#"):
            result.append((start + 1, joined))
    return result


def _expand(value: str, variables: dict[str, str]) -> str:
    return re.sub(
        r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: variables.get(m.group(1), m.group(0)), value
    )


def _run_text(rest: str) -> str:
    while rest.startswith("--"):  # --mount=..., --network=...
        rest = rest.split(None, 1)[1] if " " in rest else ""
    if rest.startswith("["):
        words = re.findall(r'"((?:[^"\\]|\\.)*)"', rest)
        if words[:2] in (["/bin/sh", "-c"], ["sh", "-c"], ["bash", "-c"]):
            return " ".join(words[2:])
        return " ".join(words)
    return rest


def _assignments(rest: str) -> list[tuple[str, str]]:
    found = []
    for word in rest.split():
        if "=" in word:
            key, value = word.split("=", 1)
            found.append((key, value.strip("\"'")))
    return found


def _join(base: str, path: str) -> str:
    if path.startswith("/"):
        return path.rstrip("/") or "/"
    return f"{base.rstrip('/')}/{path}".rstrip("/") or "/"


def _project_folder(root: Path, container: str) -> str:
    """The project folder a container folder stands for: the longest tail of its path that is a
    folder of the project (``/app/assets`` → ``assets``), else the project root."""
    parts = [p for p in container.split("/") if p and p != "."]
    for start in range(len(parts)):
        tail = "/".join(parts[start:])
        if tail and (root / tail).is_dir() and tail not in SKIP_DIRS:
            return tail
    return "."


def _config(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in _text(path).splitlines():
        match = _KEY_VALUE.match(line)
        if match:
            values[match.group(1)] = next(g for g in match.groups()[1:] if g is not None)
    return values


def _phoenix_buildpack(root: Path) -> list[Commands]:
    config_path = root / "phoenix_static_buildpack.config"
    config = _config(config_path) if config_path.is_file() else {}
    name = config.get("compile", "compile")
    script = root / name
    if not script.is_file() or not (config_path.is_file() or name == "compile"):
        return []
    phoenix_dir = (config.get("phoenix_relative_path") or ".").strip("/") or "."
    assets = config.get("assets_path")
    if assets is None:
        assets = "assets" if (root / phoenix_dir / "assets" / "package.json").is_file() else "."
    assets_dir = normalize(phoenix_dir, assets) or "."
    variables = {
        "phoenix_dir": f"{shell.ROOT}/{phoenix_dir}",
        "assets_dir": f"{shell.ROOT}/{assets_dir}",
        "build_dir": shell.ROOT,
        "phoenix_ex": config.get("phoenix_ex", "phx"),
    }
    origin = f"{name} (the Phoenix static buildpack's compile script)"
    return [Commands(origin, _text(script), assets_dir, tuple(sorted(variables.items())))]


def _elixir_buildpack(root: Path) -> list[Commands]:
    path = root / "elixir_buildpack.config"
    if not path.is_file():
        return []
    config = _config(path)
    return [
        Commands(f"elixir_buildpack.config {key}", config[key], ".")
        for key in ("hook_pre_compile", "hook_post_compile")
        if config.get(key)
    ]


def _procfile(root: Path) -> list[Commands]:
    path = root / "Procfile"
    if not path.is_file():
        return []
    result = []
    for number, line in enumerate(_text(path).splitlines(), 1):
        if ":" in line and not line.lstrip().startswith("#"):
            result.append(Commands(f"Procfile:{number}", line.split(":", 1)[1].strip(), "."))
    return result


def _fly(root: Path) -> list[Commands]:
    path = root / "fly.toml"
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(_text(path))
    except tomllib.TOMLDecodeError:
        return []
    deploy = data.get("deploy")
    command = deploy.get("release_command") if isinstance(deploy, dict) else None
    return [Commands("fly.toml release_command", command, ".")] if isinstance(command, str) else []


def _render(root: Path) -> list[Commands]:
    path = root / "render.yaml"
    if not path.is_file():
        return []
    result = []
    for number, line in enumerate(_text(path).splitlines(), 1):
        match = re.match(r"^\s*-?\s*buildCommand:\s*(.+?)\s*$", line)
        if match:
            result.append(Commands(f"render.yaml:{number}", match.group(1).strip("\"'"), "."))
    return result
