"""The tool each build step needs, found by following what it runs (see docs/design-steps.md).

An asset build is a chain: a Mix alias (``assets.deploy``) whose entries are Mix tasks, other
aliases and ``cmd`` shell commands; package.json scripts that run the packages' programs or, in
turn, Mix (``cd .. && mix assets.deploy``); a project's own deploy scripts (a buildpack
``compile`` file, a Dockerfile's RUN lines, a Makefile target). kubenative runs Node steps in
the frontend stage (a Node image: no Mix) and Mix steps in the releaser (the Elixir image: no
Node), so each step is classified by the program it runs, following every script and alias it
calls until each piece needs one tool:

- ``mix``, ``elixir``, ``erl`` (and ``iex``, ``escript``, ``rebar3``): Mix. A Mix task that is
  an alias of the project at that folder is followed (at an umbrella's root, the children's
  aliases of that name, as Mix runs them); ``mix do a, b`` is two steps.
- ``npm``, ``npx``, ``yarn``, ``pnpm``, ``bun``, ``node``: Node. ``npm run X`` (and the other
  managers' forms) is followed into package.json's script X with its ``pre``/``post`` hooks;
  an install is the frontend stage's own step and is dropped.
- Inside a package.json script, any other program is one of the packages' programs
  (``node_modules/.bin``, which the package manager puts on PATH): Node. Elsewhere it is Node
  only when a package.json in that folder depends on a package of that name.
- ``cp``, ``rm``, ``mkdir`` and other shell utilities need only a shell: they go with the step
  before them (or after, when first).
- A shell script of the project (``./scripts/build.sh``) and a Makefile target (``make
  assets``) are followed too; anything else is a program kubenative cannot place: one warning.

A script or alias whose pieces all need one tool stays one step, run as the project wrote it
(``npm run deploy``, ``mix assets.deploy``); a mixed one is split at the tool boundary, in
order. A Mix alias that holds an install or an anonymous function is never run as a whole in
the releaser (the install needs Node; the function cannot be split off).
"""

from __future__ import annotations

import functools
import json
import shlex
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Concatenate, Literal, ParamSpec, TypeVar

from kubenative.project import shell
from kubenative.project.model import Step, StepTool
from kubenative.project.reads import one_line

NODE_PROGRAMS = frozenset({"npm", "npx", "yarn", "pnpm", "pnpx", "bun", "bunx", "node", "corepack"})
MIX_PROGRAMS = frozenset({"mix", "elixir", "elixirc", "erl", "erlc", "iex", "escript", "rebar3"})
# Programs every image has (coreutils, a shell, sed, grep, find, tar): a step of them needs no
# tool of its own. curl, git and make are not in every image and are not listed; `info` is the
# Heroku buildpacks' logging function in a compile script.
# fmt: off
SHELL_PROGRAMS = frozenset({
    "cp", "mv", "rm", "mkdir", "rmdir", "echo", "printf", "touch", "ln", "cat", "chmod",
    "chown", "true", "false", ":", "test", "[", "export", "set", "unset", "sleep", "ls",
    "find", "sed", "awk", "grep", "tar", "gzip", "gunzip", "zip", "unzip", "exit", "sh",
    "bash", "dash", "which", "date", "tee", "head", "tail", "sort", "uniq", "xargs",
    "basename", "dirname", "pwd", "install", "wc", "tr", "cut", "readlink", "realpath", "info",
})
# fmt: on
INSTALLS = frozenset({"install", "i", "ci", "add", "update", "upgrade", "rebuild", "link"})
# Mix tasks that read only asset sources and packages and write only static output: a Node
# step after them does not read what they wrote, so it may still run in the frontend stage.
ASSET_TASKS = frozenset(
    {"esbuild", "tailwind", "sass", "dart_sass", "bun", "phx.digest", "phoenix.digest"}
    | {"phx.digest.clean", "esbuild.install", "tailwind.install", "bun.install", "sass.install"}
)
# Mix tasks whose bundler resolves `import x from "pkg"` from node_modules.
BUNDLER_TASKS = frozenset({"esbuild", "tailwind", "sass", "dart_sass", "bun"})
# Tasks every Mix project has: an umbrella's root runs these itself, never its children's
# aliases of the same name.
# fmt: off
BUILTIN_TASKS = frozenset({
    "compile", "deps.get", "deps.compile", "deps.loadpaths", "loadpaths", "release", "run",
    "test", "cmd", "do", "help", "app.start", "app.config", "clean", "format", "escript.build",
    "archive.build", "new", "xref",
})
# fmt: on
# node_modules/.bin names that differ from their package's name.
BIN_PACKAGES = {
    "webpack": ("webpack", "webpack-cli"),
    "postcss": ("postcss-cli",),
    "babel": ("@babel/cli", "babel-cli"),
    "tsc": ("typescript",),
    "run-s": ("npm-run-all",),
    "run-p": ("npm-run-all",),
    "ng": ("@angular/cli",),
    "vue-cli-service": ("@vue/cli-service",),
    "react-scripts": ("react-scripts",),
}
Where = Literal["script", "cmd", "deploy"]
# ``reading.read_text``: reads a project file; a decoding error becomes one clear line.
Reader = Callable[[Path, Path], str]
MAX_DEPTH = 12


@dataclass(frozen=True)
class _Item:
    """A step while the chain is being followed: an install (dropped later, but it keeps a
    Mix alias from running as a whole in the releaser) or an anonymous function entry."""

    step: Step
    install: bool = False
    function: bool = False
    unplaced: bool = False  # a program kubenative cannot place: left out, with a warning
    asset_only: bool = False  # a Mix alias of asset tasks only (esbuild, tailwind, phx.digest)


@dataclass(frozen=True)
class Project:
    """What following a step needs to know about the project."""

    root: Path
    read_text: Reader
    aliases: dict[str, dict[str, tuple[str, ...]]]  # folder → the aliases of its mix.exs
    children: tuple[str, ...] = ()  # an umbrella's app folders (empty for a single project)


S = TypeVar("S")
P = ParamSpec("P")


def _finished(
    method: Callable[Concatenate[S, P], list[_Item]],
) -> Callable[Concatenate[S, P], list[Step]]:
    """A method that follows steps, as an entry point: its items, finished (``_finish``)."""

    @functools.wraps(method)
    def entry(self: S, /, *args: P.args, **kwargs: P.kwargs) -> list[Step]:
        return _finish(method(self, *args, **kwargs))

    return entry


class Follower:
    """Follows commands through aliases, scripts, shell files and Makefiles."""

    def __init__(self, project: Project, warnings: list[str]) -> None:
        self.project = project
        self.warnings = warnings
        self._stack: list[tuple[str, str, str]] = []
        self._packages: dict[str, dict[str, object] | None] = {}

    # -- entry points --------------------------------------------------------------------

    def alias(self, name: str, folder: str) -> list[Step] | None:
        """The steps of Mix alias ``name`` of the project in ``folder``; None without one."""
        entries = self.project.aliases.get(folder, {}).get(name)
        if entries is None:
            return None
        return _finish(self._alias(name, entries, folder))

    # -- Mix -------------------------------------------------------------------------------

    def _alias(self, name: str, entries: tuple[str, ...], folder: str) -> list[_Item]:
        origin = f"{_mix_file(folder)} alias `{name}`"
        key = ("alias", folder, name)
        if key in self._stack or len(self._stack) >= MAX_DEPTH:
            self._warn(f"{origin} calls itself through other aliases or scripts: not followed")
            return [_Item(Step(f"mix {name}", folder, "mix", origin))]
        self._stack.append(key)
        try:
            items: list[_Item] = []
            for entry in entries:
                items.extend(self._alias_entry(entry, name, folder, origin))
        finally:
            self._stack.pop()
        tools = {i.step.tool for i in items} - {"sh"}
        if tools <= {"mix"} and not any(i.install or i.unplaced for i in items):
            asset_only = all(_asset_only(i) for i in items if i.step.tool == "mix")
            tasks = tuple(task for i in items for task in i.step.tasks)
            whole = Step(f"mix {name}", folder, "mix", origin, tasks=tasks)
            return [_Item(whole, asset_only=asset_only)]
        left_out = [i.step.command for i in items if i.function]
        if left_out:
            self._warn(
                f"{origin} runs {', '.join(f'`{f}`' for f in left_out)}, which kubenative "
                "cannot run apart from the alias (the alias also runs Node steps, which the "
                "releaser has no Node for): left out of the build"
            )
        return items

    def _alias_entry(self, entry: str, name: str, folder: str, origin: str) -> list[_Item]:
        if entry.startswith(("&", "fn")):
            return [_Item(Step(entry, folder, "mix", origin), function=True)]
        words = shell.words(entry.strip().strip('"'))
        if not words:
            return []
        if words[0] == name:  # the task the alias shadows: run past the alias when split
            step = _mix_step(words, folder, origin)
            return [_Item(replace(step, direct=True))]
        if words[0] == "cmd":
            return self._cmd(words[1:], folder, origin)
        return self._mix_task(words, folder, origin)

    def _cmd(self, words: list[str], folder: str, origin: str) -> list[_Item]:
        """Mix's `cmd`: `--cd DIR`, `--app APP` (an umbrella child), `--shell`; at an umbrella's
        root it runs in every child's folder."""
        cd, apps = ".", list[str]()
        while words and words[0].startswith("--"):
            flag = words.pop(0)
            if flag in ("--cd", "--app") and words:
                value = words.pop(0)
                cd, apps = (value, apps) if flag == "--cd" else (cd, [*apps, value])
            elif flag.startswith("--cd="):
                cd = flag.split("=", 1)[1]
        folders = [folder]
        if folder == "." and self.project.children:
            folders = [c for c in self.project.children if not apps or c.rsplit("/", 1)[-1] in apps]
        text = shlex.join(words) if len(words) != 1 else words[0]
        items: list[_Item] = []
        for base in folders:
            folder_cd = shell.resolve(base, cd) or base
            items.extend(self._shell(text, folder_cd, origin, "cmd"))
        return items

    def _mix_task(self, words: list[str], folder: str, origin: str) -> list[_Item]:
        name = words[0]
        if name == "do":  # `mix do a, b` (and `a + b` from Elixir 1.14)
            items: list[_Item] = []
            for part in _do_parts(words[1:]):
                items.extend(self._mix_task(part, folder, origin))
            return items
        own = self.project.aliases.get(folder, {})
        if name in own:
            return self._alias(name, own[name], folder)
        if folder == "." and self.project.children and name not in BUILTIN_TASKS:
            children = [c for c in self.project.children if name in self.project.aliases.get(c, {})]
            if children:  # Mix runs each child's alias of that name
                found: list[_Item] = []
                for child in children:
                    found.extend(self._alias(name, self.project.aliases[child][name], child))
                return found
        return [_Item(_mix_step(words, folder, origin))]

    # -- the shell -------------------------------------------------------------------------

    def _shell(
        self,
        text: str,
        cwd: str,
        origin: str,
        where: Where,
        variables: dict[str, str] | None = None,
    ) -> list[_Item]:
        items: list[_Item] = []
        for command in shell.split(text, cwd, variables):
            if command.fallback and command.program in ("true", ":", "exit"):
                continue
            if shell.compound(command):
                self._warn(
                    f"{origin}: `{one_line(text)}` is a shell construct (if/for/case) kubenative "
                    "does not follow; its steps are left out"
                )
                return [i for i in items if i.install]
            items.extend(self._program(command, origin, where))
        return items

    # The steps of shell text (a script line, a Dockerfile RUN, a compile file), with
    # ``variables`` (``$phoenix_dir``) replaced: what ``_shell`` follows, finished.
    commands = _finished(_shell)

    def _program(self, command: shell.Command, origin: str, where: Where) -> list[_Item]:
        program, cwd = command.program, command.cwd
        words = list(command.words)
        if program in ("sh", "bash") and len(words) > 2 and words[1] == "-c":
            return self._shell(words[2], cwd, origin, where)
        if program in ("sh", "bash") and len(words) > 1 and not words[1].startswith("-"):
            program, words = words[1], words[1:]
        if program == "mix":
            return self._mix_task(words[1:], cwd, origin) if len(words) > 1 else []
        if program == "elixir" and "-S" in words and words[words.index("-S") + 1 :][:1] == ["mix"]:
            rest = words[words.index("-S") + 2 :]
            return self._mix_task(rest, cwd, origin) if rest else []
        if program in MIX_PROGRAMS:
            return [_Item(Step(command.text, cwd, "mix", origin))]
        if program in NODE_PROGRAMS:
            return self._node(command, origin, where)
        if program == "make":
            return self._make(words[1:], cwd, origin, where)
        if "node_modules/" in program:  # ./node_modules/brunch/bin/brunch
            return [_Item(Step(command.text, cwd, "node", origin))]
        script = self._script_file(program, cwd)
        if script is not None:
            return self._shell(script[1], cwd, f"{script[0]} (run by {origin})", where)
        if program in SHELL_PROGRAMS:
            return [_Item(Step(command.text, cwd, "sh", origin))]
        if where == "script" or self._node_bin(program, cwd):
            return [_Item(Step(command.text, cwd, "node", origin, bin_path=True))]
        self._warn(
            f"{origin}: kubenative cannot tell which tool `{program}` needs (not Mix, Node or a "
            "shell utility); that step is left out of the build"
        )
        return [_Item(Step(command.text, cwd, "sh", origin), unplaced=True)]

    def _node(self, command: shell.Command, origin: str, where: Where) -> list[_Item]:
        """npm, yarn, pnpm and bun: an install (dropped), a script (followed), or a program."""
        words, folder = _strip_folder(list(command.words))
        cwd = (shell.resolve(command.cwd, folder) if folder else None) or command.cwd
        manager = words[0]
        text = shlex.join([*command.assignments, *words])
        step = _Item(Step(text, cwd, "node", origin))
        if manager not in ("npm", "yarn", "pnpm", "bun") or len(words) == 1:
            installs = manager in ("yarn", "bun", "pnpm") and len(words) == 1
            return [replace(step, install=True)] if installs else [step]
        verb, rest = words[1], words[2:]
        if verb in INSTALLS or (manager == "npm" and verb in ("install-clean", "isntall")):
            return [replace(step, install=True)]
        if verb in ("run", "run-script") and rest:
            script = next((w for w in rest if not w.startswith("-")), None)
        elif verb in ("exec", "x", "dlx"):
            return [step]
        elif manager == "npm" and verb in ("start", "test", "stop", "restart"):
            script = verb
        elif manager != "npm":
            script = verb  # `yarn build`, `pnpm build`, `bun build`: a script when there is one
        else:
            return [step]
        scripts = self._scripts(cwd)
        if script is None or script not in scripts:
            return [step]
        return self._script(script, cwd, manager, step)

    def _script(self, name: str, cwd: str, manager: str, step: _Item) -> list[_Item]:
        rel = "package.json" if cwd == "." else f"{cwd}/package.json"
        origin = f"{rel} script `{name}`"
        key = ("script", cwd, name)
        if key in self._stack or len(self._stack) >= MAX_DEPTH:
            self._warn(f"{origin} calls itself through other scripts or aliases: not followed")
            return [step]
        scripts = self._scripts(cwd)
        self._stack.append(key)
        try:
            items: list[_Item] = []
            for hook in (f"pre{name}", name, f"post{name}"):
                if hook in scripts:
                    items.extend(
                        self._shell(scripts[hook], cwd, f"{rel} script `{hook}`", "script")
                    )
        finally:
            self._stack.pop()
        tools = {i.step.tool for i in items} - {"sh"}
        if tools <= {"node"}:
            return [replace(step, step=replace(step.step, origin=origin))]
        return items

    def _make(self, args: list[str], cwd: str, origin: str, where: Where) -> list[_Item]:
        folder, targets = cwd, []
        items = iter(args)
        for arg in items:
            if arg == "-C":
                folder = shell.resolve(cwd, next(items, ".")) or cwd
            elif not arg.startswith("-") and "=" not in arg:
                targets.append(arg)
        items_out: list[_Item] = []
        for target in targets or ["all"]:
            recipe = shell.make_recipe(self.project.root, folder, target)
            if recipe is None:
                self._warn(f"{origin}: `make {target}` has no recipe kubenative can read")
                continue
            where_from = f"{_in(folder, 'Makefile')} target `{target}`"
            for line in recipe:
                items_out.extend(
                    self._shell(line.replace("$(MAKE)", "make"), folder, where_from, where)
                )
        return items_out

    # -- what the project holds --------------------------------------------------------------

    def _script_file(self, program: str, cwd: str) -> tuple[str, str] | None:
        rel = shell.resolve(cwd, program) if "/" in program else None
        if rel is None or rel == ".":
            return None
        text = shell.read_script(self.project.root, rel)
        return (rel, text) if text is not None else None

    def _package(self, folder: str) -> dict[str, object] | None:
        if folder not in self._packages:
            path = self.project.root / folder / "package.json"
            data: object = None
            if path.is_file():
                try:
                    data = json.loads(self.project.read_text(path, self.project.root))
                except json.JSONDecodeError:
                    data = None
            self._packages[folder] = data if isinstance(data, dict) else None
        return self._packages[folder]

    def _scripts(self, folder: str) -> dict[str, str]:
        data = self._package(folder) or {}
        table = data.get("scripts")
        if not isinstance(table, dict):
            return {}
        return {k: v for k, v in table.items() if isinstance(k, str) and isinstance(v, str)}

    def _node_bin(self, program: str, cwd: str) -> bool:
        """A program of a package that package.json in ``cwd`` depends on."""
        data = self._package(cwd)
        if data is None:
            return False
        names = set(BIN_PACKAGES.get(program, ())) | {program}
        for section in ("dependencies", "devDependencies"):
            table = data.get(section)
            if isinstance(table, dict) and names & set(table):
                return True
        return False

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


def _mix_step(words: list[str], folder: str, origin: str) -> Step:
    task = " ".join(
        shlex.quote(w) if any(c.isspace() or c in "'\"" for c in w) else w for w in words
    )
    return Step(f"mix {task}", folder, "mix", origin, tasks=(task,))


def _asset_only(item: _Item) -> bool:
    return item.asset_only or task_of(item.step.command) in ASSET_TASKS


def _finish(items: list[_Item]) -> list[Step]:
    """The steps to run: installs dropped, shell utilities given the tool of the step before
    them (or after, when they come first), what each step needs from the other tool."""
    kept_items = [i for i in items if not (i.install or i.function or i.unplaced)]
    kept = [i.step for i in kept_items]
    tools: list[StepTool] = [s.tool for s in kept]
    for index, tool in enumerate(tools):
        if tool == "sh":
            before = next((t for t in reversed(tools[:index]) if t != "sh"), None)
            after = next((t for t in tools[index + 1 :] if t != "sh"), None)
            tools[index] = before or after or "sh"
    result: list[Step] = []
    mix_before = False  # a Mix step that may write what a later Node step reads
    for item, tool in zip(kept_items, tools, strict=True):
        step = item.step
        needs: tuple[str, ...] = ()
        if tool == "node" and mix_before:
            needs = ("compiled",)
        if step.tool == "mix" and not _asset_only(item):
            mix_before = True
        if step.tool == "mix" and _bundles(item):
            needs = ("node_modules",)
        result.append(replace(step, tool=tool, needs=needs))
    return result


def _bundles(item: _Item) -> bool:
    """A Mix step whose bundler reads node_modules: esbuild, tailwind, sass and bun tasks, and
    a Mix alias of asset tasks (``mix assets.deploy`` running esbuild)."""
    return item.asset_only or task_of(item.step.command) in BUNDLER_TASKS


def tools_named(text: str) -> set[str]:
    """The tools the programs of shell text name: "mix" for mix, elixir, erl...; "node" for
    npm, yarn, node... (the check a stage makes of every RUN it holds)."""
    found: set[str] = set()
    for command in shell.split(text, "."):
        program = command.program
        if program in MIX_PROGRAMS:
            found.add("mix")
        elif program in NODE_PROGRAMS or "node_modules/" in program:
            found.add("node")
    return found


def task_of(command: str) -> str:
    """The Mix task of ``mix TASK args`` (``""`` for another program)."""
    words = shell.words(command)
    while words and shell.ASSIGNMENT.match(words[0]):
        words = words[1:]
    return words[1] if len(words) > 1 and words[0] == "mix" else ""


def _strip_folder(words: list[str]) -> tuple[list[str], str | None]:
    """Drop ``--prefix DIR`` (npm), ``--cwd DIR`` (yarn, bun), ``--dir DIR``/``-C DIR`` (pnpm)."""
    kept: list[str] = []
    folder: str | None = None
    items = iter(words)
    for word in items:
        if word in ("--prefix", "--cwd", "--dir", "-C"):
            folder = next(items, None)
        elif word.startswith(("--prefix=", "--cwd=", "--dir=")):
            folder = word.split("=", 1)[1]
        elif word in ("--silent", "-s", "--if-present", "--loglevel=silent"):
            continue
        else:
            kept.append(word)
    return kept, folder


def _do_parts(words: list[str]) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for word in words:
        if word in ("+", ","):
            parts.append([])
        elif word.endswith(","):
            parts[-1].append(word[:-1])
            parts.append([])
        else:
            parts[-1].append(word)
    return [p for p in parts if p]


def _mix_file(folder: str) -> str:
    return _in(folder, "mix.exs")


def _in(folder: str, name: str) -> str:
    return name if folder in (".", "") else f"{folder}/{name}"
