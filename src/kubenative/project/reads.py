"""The files an Elixir source file reads by path, found statically (tree-sitter, no Elixir run).

Mix evaluates ``mix.exs`` and the compile-time config, and the compiler runs every module body,
while the image is built; function bodies run when the release boots. A file any of them reads
must be in the image, where the read looks for it. This module finds the reads a project writes
as code and works out their paths:

- ``File.read!/1``, ``File.read/1``, ``File.stream!/1``, ``File.ls!/1`` and friends,
  ``Code.eval_file/1,2``, ``Code.require_file/1,2``, ``Path.wildcard/1``, ``@external_resource``;
- a path is a literal, ``__DIR__``, a module attribute, a variable bound earlier (also by a
  ``for f <- Path.wildcard(...)`` generator), or ``Path.join``/``Path.expand``/``<>``/``#{}``
  over those. ``Application.app_dir/2`` and ``:code.priv_dir/1`` point into the release itself
  and need nothing;
- a relative path is relative to the working directory of the moment: the project (or, for an
  umbrella child's mix.exs and code, the child's folder, where Mix compiles it) at build time,
  the release's folder (``/app``, the project root's twin) at boot.

A read whose path cannot be worked out is reported with its file and line, so the caller can
warn where it matters (build time) rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from kubenative.project.config_files import normalize
from kubenative.project.elixir_ast import Evaluator, Unknown, Value
from kubenative.project.elixir_parse import parse_source
from kubenative.project.elixir_tree import (
    Node,
    arguments,
    call_arguments,
    call_name,
    call_of,
    keyword_name,
    remote_name,
    text,
)

When = Literal["build", "boot"]

# Calls whose first argument is a path they read.
FILE_READERS = frozenset(
    {
        "File.read",
        "File.read!",
        "File.stream!",
        "File.open",
        "File.open!",
        "File.ls",
        "File.ls!",
        "File.cp",
        "File.cp!",
        "File.cp_r",
        "File.cp_r!",
        "Code.eval_file",
        "Code.require_file",
        "Code.compile_file",
    }
)
# Libraries' readers, by the argument that names the path: EEx templates compiled into a
# module, YAML/TOML/Erlang-term files (`:file.consult`).
LIBRARY_READERS: dict[str, int] = {
    "EEx.function_from_file": 2,
    "EEx.compile_file": 0,
    "EEx.eval_file": 0,
    "YamlElixir.read_from_file": 0,
    "YamlElixir.read_from_file!": 0,
    "YamlElixir.read_all_from_file": 0,
    "YamlElixir.read_all_from_file!": 0,
    "Toml.decode_file": 0,
    "Toml.decode_file!": 0,
    ":file.consult": 0,
    ":file.read_file": 0,
    ":yamerl_constr.file": 0,
}
# `use X, option: path`: libraries that read files while the module compiles (NimblePublisher
# builds its posts from `from: "posts/**/*.md"`).
USE_READERS: dict[str, str] = {"NimblePublisher": "from"}
# Calls whose second argument, when given, is the folder the first is relative to.
# Calls that write a path at boot, by the argument that names it. The release's root file
# system is read-only under Kubernetes (k8s/plan.py), so each folder these write under the
# release needs a writable volume: `File.write!("tmp/x")` at boot writes /app/tmp/x.
FILE_WRITERS: dict[str, int] = {
    **dict.fromkeys(("File.write", "File.write!", "File.touch", "File.touch!"), 0),
    **dict.fromkeys(("File.mkdir", "File.mkdir!", "File.mkdir_p", "File.mkdir_p!"), 0),
    **dict.fromkeys(("File.cp", "File.cp!", "File.cp_r", "File.cp_r!"), 1),
    **dict.fromkeys(("File.rename", "File.rename!"), 1),
    # File.open writes only with a :write or :append mode (see _writes_mode).
    **dict.fromkeys(("File.open", "File.open!"), 0),
}
# Writers whose path is the folder itself rather than a file in it.
FOLDER_WRITERS = frozenset({"File.mkdir", "File.mkdir!", "File.mkdir_p", "File.mkdir_p!"})
RELATIVE_TO = frozenset({"Code.eval_file", "Code.require_file", "Code.compile_file"})
# Calls that return a folder inside the built release: reads under them need no copy.
IN_RELEASE = frozenset({"Application.app_dir", ":code.priv_dir", ":code.lib_dir"})
GLOB_CHARS = ("*", "?", "[", "{")


@dataclass(frozen=True)
class Rooted:
    """A path known relative to the project root (it came from ``__DIR__`` or ``__ENV__``)."""

    path: str


@dataclass(frozen=True)
class _InRelease:
    """A path inside the built release (``Application.app_dir(:app, "priv/x")``)."""


PathValue = str | Rooted | _InRelease


@dataclass(frozen=True)
class Read:
    """One read: ``path`` relative to the project root (it may hold glob characters)."""

    path: str
    when: When
    where: str  # "file:line"
    call: str  # "File.read!", "@external_resource", ...
    rooted: bool = False  # given relative to __DIR__ rather than to the working directory


@dataclass(frozen=True)
class Unresolved:
    """A read whose path is not known statically."""

    where: str
    when: When
    source: str  # the call's text, shortened


@dataclass(frozen=True)
class Write:
    """A write at boot. ``folder``: the folder written in, relative to the release's root
    (``/app``, the working directory), or absolute outside it; None when not known statically
    (a parameter, an ``Application.app_dir`` path, ``__DIR__``)."""

    folder: str | None
    where: str  # "file:line"
    source: str  # the call's text, shortened


@dataclass(frozen=True)
class EnvRead:
    """An environment variable read (``name`` is None when the name is an expression)."""

    name: str | None
    where: str


@dataclass
class Scan:
    reads: list[Read] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    git: list[str] = field(default_factory=list)  # "file:line" of .git reads and git commands
    env: list[EnvRead] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)  # boot-time writes (function bodies)


def scan(source: str, path: str, cwd: str, *, script: bool) -> Scan:
    """The reads in one file. ``path`` is the file relative to the root; ``cwd`` the folder
    relative paths are taken from at build time. ``script`` (mix.exs, config): every line runs
    at build time; otherwise only module bodies do, and ``def``/``defp`` bodies run at boot."""
    walker = _Walker(path, cwd, script)
    walker.visit(parse_source(source, path), in_function=False)
    return walker.found


def one_line(source: str, width: int = 60) -> str:
    """``source`` on one line (each run of whitespace one space), cut to ``width`` characters
    with "..." at the end when longer: code or shell text quoted in a warning."""
    line = " ".join(source.split())
    return line if len(line) <= width else line[: width - 3] + "..."


def expand_braces(pattern: str) -> list[str]:
    """``Path.wildcard``'s alternatives spelled out: ``config/{deps,app}/*.exs`` is
    ``config/deps/*.exs`` and ``config/app/*.exs`` (each group in turn; no nesting)."""
    match = re.search(r"\{([^{}]*,[^{}]*)\}", pattern)
    if match is None:
        return [pattern]
    return [
        expanded
        for alternative in match.group(1).split(",")
        for expanded in expand_braces(
            pattern[: match.start()] + alternative + pattern[match.end() :]
        )
    ]


def glob_folder(path: str) -> str:
    """The fixed folder in front of a glob's first wildcard ("" when it starts with one)."""
    parts = path.split("/")
    fixed: list[str] = []
    for part in parts[:-1]:
        if any(char in part for char in GLOB_CHARS):
            break
        fixed.append(part)
    else:
        if not any(char in parts[-1] for char in GLOB_CHARS):
            return path
    return "/".join(fixed)


class _Walker:
    def __init__(self, path: str, cwd: str, script: bool) -> None:
        self.path = path
        self.folder = path.rsplit("/", 1)[0] if "/" in path else "."
        self.cwd = cwd
        self.script = script
        self.found = Scan()
        self.bindings: dict[str, PathValue] = {}

    def where(self, node: Node) -> str:
        return f"{self.path}:{node.start_point[0] + 1}"

    def when(self, in_function: bool) -> When:
        return "boot" if in_function and not self.script else "build"

    def visit(self, node: Node, in_function: bool) -> None:
        kind = node.type
        if kind == "call":
            name = call_name(node)
            if name in ("def", "defp"):
                # A function has its own variables: only module attributes reach into it.
                outer = self.bindings
                self.bindings = {k: v for k, v in outer.items() if k.startswith("@")}
                for child in node.named_children:
                    self.visit(child, True)
                self.bindings = outer
                return
            if name == "for":
                self._generators(node)
            if name == "use":
                self._use(node, in_function)
            if name == "embed_templates" and call_arguments(node):
                # Phoenix.Component: a pattern relative to the module's own folder.
                pattern = self._value(call_arguments(node)[0])
                if isinstance(pattern, str):
                    self._record_value(
                        node, name, Rooted(normalize(self.folder, pattern)), in_function
                    )
            dotted = remote_name(node)
            if dotted is not None:
                # `"VERSION" |> File.read!()`: the pipe gives the first argument
                self._call(node, dotted, arguments(node), in_function)
                outer = self.bindings
                self.bindings = {**outer, **self._fn_over_glob(arguments(node))}
                for child in node.named_children:
                    self.visit(child, in_function)
                self.bindings = outer
                return
        elif kind == "unary_operator" and text(node).startswith("@"):
            self._attribute(node, in_function)
        elif kind == "binary_operator":
            self._bind(node)
        elif kind == "access_call":
            self._env_access(node)
        for child in node.named_children:
            self.visit(child, in_function)

    # -- recognising reads -------------------------------------------------------------------

    def _use(self, node: Node, in_function: bool) -> None:
        """``use NimblePublisher, from: "posts/**/*.md"``."""
        args = call_arguments(node)
        if len(args) < 2 or args[0].type != "alias":
            return
        option = USE_READERS.get("".join(text(args[0]).split()))
        if option is None or args[-1].type != "keywords":
            return
        for pair in args[-1].named_children:
            key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
            if key is not None and value is not None and keyword_name(key) == option:
                self._record(node, f"use {text(args[0])}, {option}:", value, in_function, None)

    def _call(self, node: Node, dotted: str, args: list[Node], in_function: bool) -> None:
        self._write(node, dotted, args, in_function)
        index = LIBRARY_READERS.get(dotted)
        if index is not None and len(args) > index:
            self._record(node, dotted, args[index], in_function, None)
        elif dotted in FILE_READERS and args and not _writes_mode(dotted, args):
            base = self._value(args[1]) if dotted in RELATIVE_TO and len(args) > 1 else None
            self._record(node, dotted, args[0], in_function, base)
        elif dotted == "Path.wildcard" and args:
            self._record(node, dotted, args[0], in_function, None)
        elif dotted == "System.cmd" and args and self._value(args[0]) == "git":
            # git at run time is a program the app runs (project/commands.py); at build time
            # it reads a history the build context does not hold.
            if self.when(in_function) == "build":
                self.found.git.append(self.where(node))
        elif dotted in ("System.get_env", "System.fetch_env", "System.fetch_env!") and args:
            self._env(node, args[0])
        elif dotted in ("Map.fetch!", "Map.fetch", "Map.get") and _all_env(args):
            self._env(node, args[1])

    def _attribute(self, node: Node, in_function: bool) -> None:
        operand = node.child_by_field_name("operand")
        name = call_name(operand) if operand is not None else None
        args = call_arguments(operand) if operand is not None else []
        if name is None or len(args) != 1:
            return
        value_node = args[0]
        if value_node.type == "binary_operator" and _op(value_node) == "=":
            value_node = value_node.child_by_field_name("right") or value_node
        if name == "external_resource":
            self._record(node, "@external_resource", value_node, in_function, None)
            return
        value = self._value(value_node)
        if value is not None:
            self.bindings[f"@{name}"] = value

    def _bind(self, node: Node) -> None:
        if _op(node) != "=":
            return
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is not None and right is not None and left.type == "identifier":
            value = self._value(right)
            if value is not None:
                self.bindings[text(left)] = value

    def _fn_over_glob(self, args: list[Node]) -> dict[str, PathValue]:
        """``Enum.map(Path.wildcard("x/*.json"), fn path -> File.read!(path) end)`` and the
        like: the function's one parameter stands for the files the glob finds."""
        if len(args) < 2:
            return {}
        first = self._value(args[0])
        if first is None or isinstance(first, _InRelease):
            return {}
        text_path = first.path if isinstance(first, Rooted) else first
        if glob_folder(text_path) == text_path:
            return {}
        found: dict[str, PathValue] = {}
        for arg in args[1:]:
            if arg.type != "anonymous_function":
                continue
            for clause in arg.named_children:
                params = next((c for c in clause.named_children if c.type == "arguments"), None)
                names = [c for c in params.named_children] if params is not None else []
                if len(names) == 1 and names[0].type == "identifier":
                    found[text(names[0])] = first
        return found

    def _generators(self, node: Node) -> None:
        """``for f <- Path.wildcard("data/*.json")``: ``f`` stands for the glob."""
        for arg in call_arguments(node):
            if arg.type != "binary_operator" or _op(arg) != "<-":
                continue
            left, right = arg.child_by_field_name("left"), arg.child_by_field_name("right")
            if left is None or right is None or left.type != "identifier":
                continue
            value = self._value(right)
            if value is not None and not isinstance(value, _InRelease):
                self.bindings[text(left)] = value

    def _record(
        self,
        node: Node,
        call: str,
        arg: Node,
        in_function: bool,
        base: PathValue | None,
    ) -> None:
        when = self.when(in_function)
        value = self._value(arg)
        if isinstance(value, str) and base is not None:
            value = _join(base, value)
        if value is None:
            # A file picked at run time from a known folder (`Path.join("content", name)`,
            # `"guides/#{name}.md"`) reads that folder: the image needs all of it.
            folder = self._folder_of(arg) or self._prefix_folder(arg)
            if folder is None:
                self.found.unresolved.append(
                    Unresolved(self.where(node), when, one_line(text(node)))
                )
                return
            value = folder
        self._record_value(node, call, value, in_function)

    def _record_value(self, node: Node, call: str, value: PathValue, in_function: bool) -> None:
        when = self.when(in_function)
        if isinstance(value, _InRelease):
            return
        if isinstance(value, Rooted):
            path = value.path
        elif value.startswith("/"):
            return  # an absolute path: the system's, not the project's
        else:
            path = normalize(self.cwd if when == "build" else ".", value)
            if value.startswith("..") and escapes(self.cwd if when == "build" else ".", value):
                path = "../" + path
        if ".git" in path.split("/"):
            if when == "build":
                self.found.git.append(self.where(node))
            return
        rooted = isinstance(value, Rooted)
        self.found.reads.append(Read(path, when, self.where(node), call, rooted))

    def _prefix_folder(self, node: Node) -> PathValue | None:
        """The folder the literal beginning of an interpolated string names:
        ``"guides/#{name}.md"`` → ``guides``, ``"#{__DIR__}/parts/#{x}"`` → that folder."""
        known, complete = self._string_parts(node)
        if complete or known is None or isinstance(known, _InRelease):
            return None  # fully known (not a prefix), or not a string
        path = known.path if isinstance(known, Rooted) else known
        if "/" not in path:
            return known if isinstance(known, Rooted) else None
        folder = path.rsplit("/", 1)[0]
        return Rooted(folder) if isinstance(known, Rooted) else (folder or None)

    def _write(self, node: Node, dotted: str, args: list[Node], in_function: bool) -> None:
        """A write in a function body (it runs at boot, from /app); build-time writes land in
        the builder and do not matter here."""
        index = FILE_WRITERS.get(dotted)
        if index is None or len(args) <= index or self.when(in_function) != "boot":
            return
        if dotted.startswith("File.open") and not _writes_mode(dotted, args):
            return
        value = self._value(args[index])
        folder = dotted in FOLDER_WRITERS
        if value is None:
            value, folder = self._folder_of(args[index]) or _fixed_folder(args[index]), True
        found: str | None = None
        if isinstance(value, str) and value and not any(c in value for c in GLOB_CHARS):
            path = value.rstrip("/") if value.startswith("/") else normalize(".", value)
            found = (path if folder else (path.rsplit("/", 1)[0] if "/" in path else "")) or "."
        self.found.writes.append(Write(found, self.where(node), one_line(text(node))))

    # -- environment variables ---------------------------------------------------------------

    def _env(self, node: Node, arg: Node) -> None:
        value = self._value(arg)
        name = value if isinstance(value, str) else None
        self.found.env.append(EnvRead(name, self.where(node)))

    def _env_access(self, node: Node) -> None:
        """``System.get_env()["NAME"]``."""
        children = node.named_children
        if len(children) == 2 and _all_env(children):
            self._env(node, children[1])

    # -- values ------------------------------------------------------------------------------

    def _value(self, node: Node) -> PathValue | None:
        evaluator = _PathEvaluator(self)
        found = _from_value(evaluator.evaluate(node, dict(self._variables())))
        if found is not None:
            return found
        if node.type == "string":
            return self._interpolated(node)
        if node.type == "binary_operator" and _op(node) == "|>":
            return self._piped(node)
        if node.type == "binary_operator" and _op(node) == "<>":
            left = self._value(node.child_by_field_name("left") or node)
            right = self._value(node.child_by_field_name("right") or node)
            if left is not None and isinstance(right, str):
                return _concat(left, right)
        return None

    def _folder_of(self, node: Node) -> PathValue | None:
        """The known folder of ``Path.join("content", name)``: a file is picked at run time,
        but from a folder of the project, which is then what the image needs."""
        node = call_of(node)
        if remote_name(node) != "Path.join":
            return None
        args = arguments(node)
        if len(args) == 1 and args[0].type == "list":
            args = [c for c in args[0].named_children if c.type != "comment"]
        known: PathValue | None = None
        for arg in args:
            value = self._value(arg)
            if value is None:
                break
            known = (
                value
                if known is None
                else (_join(known, value) if isinstance(value, str) else None)
            )
            if known is None:
                return None
        if known is None or isinstance(known, _InRelease):
            return known
        return Rooted(known.path) if isinstance(known, Rooted) else known.rstrip("/") or None

    def _piped(self, node: Node) -> PathValue | None:
        """``"a" |> Path.join("b")``: the left side is the call's first argument."""
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        dotted = remote_name(right) if right is not None else None
        if left is None or right is None or dotted is None:
            return None
        args = arguments(right)  # [left, ...]
        first = self._value(args[0])
        if first is None:
            return None
        evaluator = _PathEvaluator(self)
        rest = [evaluator.evaluate(arg, dict(self._variables())) for arg in args[1:]]
        return _from_value(_path_call(dotted, [_as_value(first), *rest]))

    def _variables(self) -> Iterator[tuple[str, Value]]:
        yield "__DIR__", _as_value(Rooted(self.folder))
        for name, value in self.bindings.items():
            if not name.startswith("@"):
                yield name, _as_value(value)

    def _interpolated(self, node: Node) -> PathValue | None:
        known, complete = self._string_parts(node)
        return known if complete else None

    def _string_parts(self, node: Node) -> tuple[PathValue | None, bool]:
        """(The value of a string's parts up to the first one not known, whether that is all
        of it); a Rooted or in-release part only as the first."""
        if node.type != "string":
            return None, False
        result: PathValue = ""
        for child in node.named_children:
            if child.type == "quoted_content":
                part: PathValue | None = text(child)
            elif child.type == "interpolation":
                inner = [c for c in child.named_children if c.type != "comment"]
                part = self._value(inner[0]) if len(inner) == 1 else None
            else:
                part = None
            if part is None:
                return result, False
            if isinstance(part, Rooted | _InRelease):
                if result != "":
                    return result, False
                result = part
            else:
                result = _concat(result, part)
        return result, True


class _PathEvaluator(Evaluator):
    """The AST evaluator, with module attributes taken from the walk so far and the path
    functions of the standard library."""

    def __init__(self, walker: _Walker) -> None:
        super().__init__(remote=_path_call)
        self.walker = walker

    def attribute(self, name: str, before: int | None = None) -> Value:
        value = self.walker.bindings.get(f"@{name}")
        return Unknown(f"@{name}") if value is None else _as_value(value)


def _path_call(name: str, args: list[Value]) -> Value:
    values = [_from_value(arg) for arg in args]
    if name in IN_RELEASE:
        return _as_value(_InRelease())
    if name in ("File.cwd!", "File.cwd") and not args:
        return "."  # the working directory: relative paths start there anyway
    if name == "Path.join":
        if len(args) == 1 and isinstance(args[0], list):
            values = [_from_value(arg) for arg in args[0]]
        first, rest = (values[0], values[1:]) if values else (None, [])
        if first is not None and all(isinstance(item, str) for item in rest):
            joined = first
            for item in rest:
                assert isinstance(item, str)
                joined = _join(joined, item)
            return _as_value(joined)
    elif name in ("Path.expand", "Path.absname", "Path.relative_to_cwd") and values:
        target = values[0]
        if len(values) == 2 and isinstance(target, str) and values[1] is not None:
            return _as_value(_join(values[1], target))
        if len(values) == 1 and target is not None:
            return _as_value(target)
    elif name == "Path.wildcard" and values and values[0] is not None:
        # Stands for the files it finds: reads through it are reads under the glob.
        return _as_value(values[0])
    elif name == "Path.dirname" and len(values) == 1 and isinstance(values[0], Rooted):
        folder = values[0].path.rsplit("/", 1)[0] if "/" in values[0].path else "."
        return _as_value(Rooted(folder))
    return Unknown(f"{name}(...)")


def _fixed_folder(node: Node) -> str | None:
    """The literal folder in front of an interpolation: ``"uploads/#{name}"`` (also inside
    ``Path.absname/1``/``Path.expand/1``, the working directory's own folder) → ``uploads``."""
    call = call_of(node)
    if remote_name(call) in ("Path.absname", "Path.expand") and len(arguments(call)) == 1:
        node = arguments(call)[0]
    if node.type != "string":
        return None
    fixed = ""
    for child in node.named_children:
        if child.type != "quoted_content":
            break
        fixed += text(child)
    return fixed.rsplit("/", 1)[0] if "/" in fixed else None


def _writes_mode(dotted: str, args: list[Node]) -> bool:
    """``File.open(path, [:write])``: the modes list holds :write or :append."""
    if not dotted.startswith("File.open") or len(args) < 2 or args[1].type != "list":
        return False
    return any(text(mode) in (":write", ":append") for mode in args[1].named_children)


def _all_env(args: list[Node]) -> bool:
    """Whether the first of ``args`` is ``System.get_env()``, the whole environment as a map."""
    return (
        len(args) >= 2 and remote_name(args[0]) == "System.get_env" and not call_arguments(args[0])
    )


def _op(node: Node) -> str:
    operator = node.child_by_field_name("operator")
    return text(operator) if operator is not None else ""


# Rooted and _InRelease travel through the Evaluator as Unknown values with a marker source.
_ROOTED = "\0rooted:"
_RELEASE = "\0release"


def _as_value(value: PathValue) -> Value:
    if isinstance(value, Rooted):
        return Unknown(_ROOTED + value.path)
    if isinstance(value, _InRelease):
        return Unknown(_RELEASE)
    return value


def _from_value(value: Value) -> PathValue | None:
    if isinstance(value, str):
        return value
    if isinstance(value, Unknown):
        if value.source.startswith(_ROOTED):
            return Rooted(value.source[len(_ROOTED) :])
        if value.source == _RELEASE:
            return _InRelease()
    return None


def _join(base: PathValue, relative: str) -> PathValue:
    if relative.startswith("/") or isinstance(base, _InRelease):
        return relative if relative.startswith("/") else base
    if isinstance(base, Rooted):
        return Rooted(normalize(base.path, relative))
    return f"{base.rstrip('/')}/{relative}" if base else relative


def _concat(left: PathValue, right: str) -> PathValue:
    if isinstance(left, Rooted):
        return Rooted(normalize(".", left.path + right))
    if isinstance(left, _InRelease):
        return left
    return left + right


def escapes(cwd: str, relative: str) -> bool:
    """Whether ``relative``, taken from the folder ``cwd`` of the project, leads outside it."""
    depth = 0 if cwd in (".", "") else len(cwd.split("/"))
    for part in relative.split("/"):
        if part == "..":
            depth -= 1
            if depth < 0:
                return True
        elif part not in (".", ""):
            depth += 1
    return False
