"""Read a Dockerfile into stages: each stage's base (an image or an earlier stage), its
instructions with their line numbers, and what a stage inherits from the stage it is built FROM.

Written from the Dockerfile reference, independently of kubenative's renderer: line
continuations, comment lines inside continuations, heredocs (``RUN <<'EOF'``), flags
(``--from``, ``--mount``, ``--chown``), JSON and shell forms, ``ARG``/``ENV`` substitution
(``$X``, ``${X}``, ``${X:-default}``, ``${X:+alt}``).
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field

_HEREDOC = re.compile(r"<<(-?)(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\2")
_VAR = re.compile(
    r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))"
)


@dataclass
class Instruction:
    """One instruction: ``op`` upper-cased, ``flags`` (``--from=deps`` -> ``{"from": "deps"}``;
    repeated flags such as ``--mount`` are joined with a newline), the raw ``args`` text after
    the flags, and the bodies of its heredocs."""

    line: int
    op: str
    flags: dict[str, str]
    args: str
    heredocs: list[str] = field(default_factory=list)

    def words(self) -> list[str]:
        """The arguments as words: a JSON array when the exec form is used, else shell-split."""
        text = self.args.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                value = None
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                return list(value)
        try:
            return shlex.split(text, comments=False, posix=True)
        except ValueError:
            return text.split()


@dataclass
class Stage:
    index: int
    name: str | None
    base: str  # the FROM argument after substitution
    line: int
    parent: Stage | None = None  # the earlier stage this one is built FROM
    platform: str | None = None
    instructions: list[Instruction] = field(default_factory=list)

    @property
    def image(self) -> str | None:
        """The image at the root of this stage's FROM chain (None for ``scratch``)."""
        stage: Stage | None = self
        while stage is not None and stage.parent is not None:
            stage = stage.parent
        assert stage is not None
        return None if stage.base == "scratch" else stage.base

    def chain(self) -> list[Stage]:
        """This stage and the stages it inherits from, the root first."""
        out: list[Stage] = []
        stage: Stage | None = self
        while stage is not None:
            out.append(stage)
            stage = stage.parent
        return list(reversed(out))

    def label(self) -> str:
        return self.name or f"#{self.index}"


@dataclass
class Dockerfile:
    path: str
    global_args: dict[str, str | None]
    stages: list[Stage]
    header: list[str]  # the comment lines before the first instruction
    arg_lines: dict[str, int]  # global ARG name -> line

    def stage(self, name: str) -> Stage | None:
        for stage in self.stages:
            if stage.name is not None and stage.name.lower() == name.lower():
                return stage
        if name.isdigit() and int(name) < len(self.stages):
            return self.stages[int(name)]
        return None

    @property
    def final(self) -> Stage | None:
        return self.stages[-1] if self.stages else None


def substitute(text: str, env: dict[str, str | None]) -> str:
    """Expand ``$X``, ``${X}``, ``${X:-word}``, ``${X:+word}`` with ``env`` (unset -> empty)."""

    def repl(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(4)
        value = env.get(name)
        op, word = match.group(2), match.group(3)
        if op in (":-", "-"):
            return value if value else word or ""
        if op in (":+", "+"):
            return (word or "") if value else ""
        return value or ""

    return _VAR.sub(repl, text)


def _logical_lines(text: str) -> list[tuple[int, str, list[str]]]:
    """(first line number, joined instruction text, heredoc bodies) for every instruction."""
    lines = text.splitlines()
    out: list[tuple[int, str, list[str]]] = []
    i = 0
    while i < len(lines):
        raw = lines[i]
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        start = i + 1
        parts = []
        current = raw
        while True:
            if current.rstrip().endswith("\\"):
                parts.append(current.rstrip()[:-1])
                i += 1
                # comment and blank lines inside a continuation are skipped
                while i < len(lines) and (not lines[i].strip() or lines[i].strip().startswith("#")):
                    i += 1
                if i >= len(lines):
                    break
                current = lines[i]
                continue
            parts.append(current)
            i += 1
            break
        joined = " ".join(p.strip() for p in parts)
        bodies: list[str] = []
        for match in _HEREDOC.finditer(joined):
            strip_tabs, word = match.group(1) == "-", match.group(3)
            body: list[str] = []
            while i < len(lines):
                candidate = lines[i].lstrip("\t") if strip_tabs else lines[i]
                i += 1
                if candidate == word:
                    break
                body.append(candidate)
            bodies.append("\n".join(body))
        out.append((start, joined, bodies))
    return out


def _split_flags(rest: str) -> tuple[dict[str, str], str]:
    flags: dict[str, str] = {}
    text = rest.lstrip()
    while text.startswith("--"):
        token, _, remainder = text.partition(" ")
        name, _, value = token[2:].partition("=")
        flags[name] = f"{flags[name]}\n{value}" if name in flags else value
        text = remainder.lstrip()
    return flags, text


def parse(text: str, path: str = "Dockerfile") -> Dockerfile:
    """Parse a Dockerfile; unknown instructions are kept as they are, never an error."""
    header: list[str] = []
    for raw in text.splitlines():
        if raw.strip().startswith("#") or not raw.strip():
            if raw.strip():
                header.append(raw.strip().lstrip("#").strip())
            continue
        break
    global_args: dict[str, str | None] = {}
    arg_lines: dict[str, int] = {}
    stages: list[Stage] = []
    env: dict[str, str | None] = {}
    for line, joined, bodies in _logical_lines(text):
        op, _, rest = joined.partition(" ")
        op = op.upper()
        flags, args = _split_flags(rest) if op in ("RUN", "COPY", "ADD", "FROM") else ({}, rest)
        if op == "ARG" and not stages:
            for word in args.split():
                name, eq, default = word.partition("=")
                global_args[name] = substitute(default.strip("\"'"), global_args) if eq else None
                arg_lines[name] = line
            continue
        if op == "FROM":
            words = args.split()
            base = substitute(words[0], global_args) if words else ""
            alias = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            parent = None
            for earlier in stages:
                if earlier.name is not None and earlier.name.lower() == base.lower():
                    parent = earlier
            stage = Stage(len(stages), alias, base, line, parent, flags.get("platform"))
            stages.append(stage)
            env = dict(_inherited_env(parent))
            continue
        if not stages:
            continue
        stage = stages[-1]
        if op in ("ENV", "ARG"):
            for name, value in _assignments(op, args, env, global_args):
                env[name] = value
        instruction = Instruction(line, op, flags, args, bodies)
        if op in ("COPY", "ADD", "WORKDIR", "USER", "EXPOSE", "ENV"):
            instruction.args = substitute(args, env)
        stage.instructions.append(instruction)
    return Dockerfile(path, global_args, stages, header, arg_lines)


def _assignments(
    op: str, args: str, env: dict[str, str | None], global_args: dict[str, str | None]
) -> list[tuple[str, str | None]]:
    try:
        words = shlex.split(args)
    except ValueError:
        words = args.split()
    out: list[tuple[str, str | None]] = []
    if op == "ENV" and words and "=" not in words[0]:
        return [(words[0], substitute(" ".join(words[1:]), env))]  # legacy `ENV KEY value`
    for word in words:
        name, eq, value = word.partition("=")
        if op == "ARG" and not eq:
            out.append((name, env.get(name, global_args.get(name))))
        else:
            out.append((name, substitute(value, {**global_args, **env})))
    return out


def _inherited_env(parent: Stage | None) -> dict[str, str | None]:
    env: dict[str, str | None] = {}
    for stage in parent.chain() if parent is not None else []:
        for ins in stage.instructions:
            if ins.op == "ENV":
                for name, value in _assignments("ENV", ins.args, env, {}):
                    env[name] = value
    return env


def stage_env(stage: Stage) -> dict[str, str | None]:
    """The ENV values a stage's last instruction sees (ARGs are build-time only, left out)."""
    env: dict[str, str | None] = {}
    for link in stage.chain():
        for ins in link.instructions:
            if ins.op == "ENV":
                for name, value in _assignments("ENV", ins.args, env, {}):
                    env[name] = value
    return env


def workdir_at(stage: Stage, ins: Instruction) -> str:
    """The working directory ``ins`` runs in (WORKDIR of the chain so far; ``/`` by default)."""
    cwd = "/"
    for link in stage.chain():
        for other in link.instructions:
            if link is stage and other is ins:
                return cwd
            if other.op == "WORKDIR":
                target = other.args.strip().strip("\"'")
                cwd = target if target.startswith("/") else _join(cwd, target)
    return cwd


def _join(base: str, rel: str) -> str:
    parts = [p for p in base.split("/") if p]
    for piece in rel.split("/"):
        if piece in ("", "."):
            continue
        if piece == "..":
            if parts:
                parts.pop()
        else:
            parts.append(piece)
    return "/" + "/".join(parts)


def join(base: str, rel: str) -> str:
    """Join a container path; ``rel`` may be absolute."""
    return _join("/", rel) if rel.startswith("/") else _join(base, rel)


@dataclass(frozen=True)
class Copy:
    """One COPY/ADD: sources (context paths, or paths in ``from_`` when set), the destination
    as an absolute container path, and whether the destination is a folder."""

    line: int
    sources: tuple[str, ...]
    dest: str
    dest_is_dir: bool
    from_: str | None


def copies(stage: Stage, ins: Instruction) -> Copy | None:
    if ins.op not in ("COPY", "ADD"):
        return None
    words = ins.words()
    if ins.heredocs or len(words) < 2:
        return None
    *sources, dest = words
    cwd = workdir_at(stage, ins)
    dest_is_dir = dest.endswith("/") or dest in (".", "./") or len(sources) > 1
    return Copy(ins.line, tuple(sources), join(cwd, dest), dest_is_dir, ins.flags.get("from"))


def image_refs(df: Dockerfile) -> list[tuple[str, int, str]]:
    """(image reference, line, how it is named) for every FROM image, COPY --from image and
    image-looking global ARG default."""
    refs: list[tuple[str, int, str]] = []
    stage_names = {s.name.lower() for s in df.stages if s.name}
    for name, value in df.global_args.items():
        if value and looks_like_image(value):
            refs.append((value, df.arg_lines.get(name, 0), f"ARG {name}"))
    for stage in df.stages:
        named = any(ref == stage.base for ref, _, _ in refs)
        if stage.parent is None and stage.base != "scratch" and not named:
            refs.append((stage.base, stage.line, "FROM"))
        for ins in stage.instructions:
            source = ins.flags.get("from")
            if source and source.lower() not in stage_names and not source.isdigit():
                refs.append((source, ins.line, "COPY --from"))
    return refs


def looks_like_image(value: str) -> bool:
    return bool(
        re.fullmatch(r"[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9._-]+)?(@sha256:[0-9a-f]+)?", value)
    )


@dataclass(frozen=True)
class ImageRef:
    registry: str | None
    repository: str  # e.g. "hexpm/elixir", "node", "library/debian" -> "debian"
    tag: str | None
    digest: str | None

    @property
    def short(self) -> str:
        """The repository without a ``library/`` prefix."""
        return self.repository.removeprefix("library/")


def parse_ref(ref: str) -> ImageRef:
    digest = None
    if "@" in ref:
        ref, digest = ref.split("@", 1)
    registry = None
    first, _, rest = ref.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        registry, ref = first, rest
    tag = None
    name, colon, maybe_tag = ref.rpartition(":")
    if colon and "/" not in maybe_tag:
        ref, tag = name, maybe_tag
    return ImageRef(registry, ref, tag, digest)
