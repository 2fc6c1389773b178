"""A generated Dockerfile as the sweep sees it: which tools each stage has, what each RUN step
runs (following npm scripts and Mix aliases into what they call), what each stage copies from
the context, and where each project folder lands in the image."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from bench.invariants import dockerfile as dfm
from bench.invariants.facts import Project
from bench.invariants.shell import Command, commands, normalize

NODE_PROGRAMS = {"node", "npm", "npx", "yarn", "pnpm", "bun", "bunx", "corepack", "nodejs"}
# CLIs that only exist as npm packages (run through node_modules/.bin)
NODE_CLIS = {
    "webpack",
    "webpack-cli",
    "brunch",
    "vite",
    "tsc",
    "parcel",
    "rollup",
    "gulp",
    "grunt",
    "babel",
    "ember",
    "ng",
    "react-scripts",
    "node-sass",
    "cross-env",
    "npm-run-all",
    "run-s",
    "run-p",
    "concurrently",
}
ELIXIR_PROGRAMS = {"mix", "elixir", "iex", "elixirc", "erl", "erlc", "escript", "rebar3"}
_INSTALLS = re.compile(
    r"\b(?:apt-get|apt|apk|yum|dnf|microdnf)\b[^;&|]*?\b(?:install|add)\b([^;&|]*)"
)
_NPM_BUILTINS = {
    "install",
    "i",
    "ci",
    "add",
    "remove",
    "rm",
    "uninstall",
    "update",
    "upgrade",
    "audit",
    "cache",
    "config",
    "set",
    "exec",
    "dlx",
    "link",
    "unlink",
    "outdated",
    "prune",
    "rebuild",
    "pack",
    "publish",
    "fetch",
    "import",
    "dedupe",
    "why",
    "list",
    "ls",
    "info",
    "view",
    "version",
    "--version",
    "-v",
    "init",
    "create",
    "global",
    "workspaces",
    "workspace",
    "policies",
    "plugin",
    "help",
}
_RUN_VERBS = {p: ("start", "test", "stop", "restart") for p in ("npm", "yarn", "pnpm", "bun")}
_LIFECYCLE = {"install", "i", "ci", "add", ""}


@dataclass(frozen=True)
class Need:
    """A tool family (``node`` or ``elixir``) a step needs, and how: ``npm run deploy -> cd
    .. && mix assets.deploy -> mix``."""

    tool: str
    how: str


@dataclass
class Mapping:
    """Where context paths land in a stage (``container`` <- ``project``)."""

    container: str
    project: str
    is_dir: bool


@dataclass
class StageInfo:
    stage: dfm.Stage
    tools: set[str] | None  # None: the base image is not one the sweep can classify
    mappings: list[tuple[int, Mapping]] = field(default_factory=list)  # (line, mapping)


def image_tools(ref: str | None) -> set[str] | None:
    if ref is None:
        return set()
    if "$" in ref or not ref:
        return None
    short = dfm.parse_ref(ref).short
    last = short.rsplit("/", 1)[-1]
    if "elixir" in last:
        return {"elixir"}
    if last in ("node",) or last.startswith("node-") or last.endswith("-node"):
        return {"node"}
    if last in ("erlang",):
        return {"erlang"}
    if last in ("debian", "ubuntu", "alpine", "busybox", "buildpack-deps", "distroless"):
        return set()
    if short.startswith("gcr.io/distroless") or "distroless" in short:
        return set()
    if last in ("bun",):
        return {"bun"}
    return None


def installed_tools(text: str) -> set[str]:
    """Tools a RUN installs: ``apt-get install nodejs``, nodesource, ``asdf install nodejs``."""
    found: set[str] = set()
    for match in _INSTALLS.finditer(text):
        packages = {p.split("=")[0] for p in match.group(1).split() if not p.startswith("-")}
        if packages & {"nodejs", "npm", "yarn"}:
            found.add("node")
        if packages & {"elixir"}:
            found.add("elixir")
        if packages & {"python", "python2", "python2.7", "python-minimal", "python2-minimal"}:
            found.add("python2")
    if re.search(
        r"nodesource|setup_\d+\.x|install\.sh.*nvm|nvm install|(asdf|mise) install nodejs", text
    ):
        found.add("node")
    if re.search(r"(asdf|mise) install elixir", text):
        found.add("elixir")
    return found


class Build:
    def __init__(self, df: dfm.Dockerfile, project: Project) -> None:
        self.df = df
        self.project = project
        self.info: dict[int, StageInfo] = {}
        for stage in df.stages:
            self.info[stage.index] = self._stage_info(stage)

    # ---- tools ----
    def _stage_info(self, stage: dfm.Stage) -> StageInfo:
        parent = self.info.get(stage.parent.index) if stage.parent is not None else None
        if parent is not None:
            tools = None if parent.tools is None else set(parent.tools)
            mappings = list(parent.mappings)
        else:
            tools = image_tools(stage.base)
            mappings = []
        info = StageInfo(stage, tools, mappings)
        for ins in stage.instructions:
            if ins.op == "RUN" and info.tools is not None:
                info.tools |= installed_tools(ins.args + "\n" + "\n".join(ins.heredocs))
            copy = dfm.copies(stage, ins)
            if copy is None:
                continue
            if copy.from_ is not None:
                source_stage = self.df.stage(copy.from_)
                node_binary = any("bin/node" in s or "node_modules" in s for s in copy.sources)
                if info.tools is not None and (
                    (source_stage is None and "node" in (image_tools(copy.from_) or set()))
                    or (node_binary and copy.dest.startswith(("/usr", "/opt")))
                ):
                    info.tools.add("node")
                if source_stage is not None and source_stage.index in self.info:
                    self._copied_from(info, source_stage, copy, ins.line)
                continue
            for source in copy.sources:
                rel = normalize(source)
                is_dir = rel == "." or self.project.is_dir(rel) or any(c in rel for c in "*?[")
                if is_dir:
                    dest = copy.dest
                else:
                    dest = (
                        dfm.join(copy.dest, posixpath.basename(rel))
                        if copy.dest_is_dir
                        else copy.dest
                    )
                info.mappings.append((ins.line, Mapping(dest, rel, is_dir)))
        return info

    def _copied_from(self, info: StageInfo, source: dfm.Stage, copy: dfm.Copy, line: int) -> None:
        """Project files a ``COPY --from=<stage>`` brings along (what that stage had copied)."""
        last = source.instructions[-1] if source.instructions else None
        workdir = dfm.workdir_at(source, last) if last is not None else "/"
        if last is not None and last.op == "WORKDIR":
            workdir = dfm.join(workdir, last.args.strip())
        for src in copy.sources:
            container = dfm.join(workdir, src)
            project = self.project_path(source, container)
            if project is None:
                continue
            is_dir = self.project.is_dir(project)
            dest = (
                dfm.join(copy.dest, posixpath.basename(container))
                if copy.dest_is_dir and not is_dir
                else copy.dest
            )
            info.mappings.append((line, Mapping(dest, project, is_dir)))

    def tools(self, stage: dfm.Stage) -> set[str] | None:
        return self.info[stage.index].tools

    # ---- paths ----
    def project_path(
        self, stage: dfm.Stage, container: str, before: int | None = None
    ) -> str | None:
        """The project path a container path holds in ``stage`` (before line ``before``)."""
        found = None
        for line, m in self.info[stage.index].mappings:
            if before is not None and line >= before:
                continue
            if m.is_dir:
                if container == m.container:
                    found = m.project
                elif container.startswith(m.container.rstrip("/") + "/"):
                    rest = container[len(m.container.rstrip("/")) + 1 :]
                    found = normalize(posixpath.join(m.project, rest))
            elif container == m.container:
                found = m.project
        return found

    def project_folder(self, stage: dfm.Stage, container: str, before: int) -> str | None:
        """The project folder a container folder stands for (a copied folder, or the folder
        whose mix.exs or package.json was copied there)."""
        direct = self.project_path(stage, container, before)
        if direct is not None and self.project.is_dir(direct):
            return direct
        for marker in ("mix.exs", "package.json"):
            found = self.project_path(stage, dfm.join(container, marker), before)
            if found is not None:
                return posixpath.dirname(found) or "."
        return None

    # ---- steps ----
    def steps(self) -> list[tuple[dfm.Stage, dfm.Instruction, list[Command]]]:
        out = []
        for stage in self.df.stages:
            for ins in stage.instructions:
                if ins.op != "RUN":
                    continue
                cwd = dfm.workdir_at(stage, ins)
                script = ins.args
                script = re.sub(r"<<-?['\"]?[A-Za-z_][A-Za-z0-9_]*['\"]?", "", script)
                parts = [script, *ins.heredocs]
                found: list[Command] = []
                for part in parts:
                    found.extend(commands(part, cwd))
                out.append((stage, ins, found))
        return out

    def needs(self, stage: dfm.Stage, ins: dfm.Instruction, command: Command) -> list[Need]:
        """The tool families ``command`` needs, following scripts and aliases."""
        folder = self.project_folder(stage, command.cwd, ins.line) if command.cwd != "?" else None
        return expand(self.project, command.argv, folder, depth=0)


def expand(project: Project, argv: tuple[str, ...], folder: str | None, depth: int) -> list[Need]:
    """Needs of one command run in project folder ``folder`` (None: unknown)."""
    if not argv or depth > 8:
        return []
    program = posixpath.basename(argv[0])
    text = " ".join(argv)
    out: list[Need] = []
    if program in NODE_PROGRAMS or program in NODE_CLIS or "node_modules/.bin" in argv[0]:
        out.append(Need("node", text))
        if program in ("npm", "yarn", "pnpm", "bun") and folder is not None:
            for script_folder, script, body in _scripts(project, program, argv, folder):
                for command in commands(body, script_folder):
                    for need in expand(project, command.argv, command.cwd, depth + 1):
                        out.append(Need(need.tool, f"{text} -> {script}: {need.how}"))
    elif program in ELIXIR_PROGRAMS:
        out.append(Need("elixir", text))
        if program == "mix" and folder is not None:
            for task in _mix_tasks(argv[1:]):
                for need in _alias(project, folder, task, depth, set()):
                    out.append(Need(need.tool, f"{text} -> {need.how}"))
    return out


def _mix_tasks(args: tuple[str, ...]) -> list[list[str]]:
    """``mix do a, b + c x`` -> [["a"], ["b"], ["c", "x"]]; ``mix t x`` -> [["t", "x"]]."""
    args = tuple(a for a in args if not a.startswith("MIX_ENV="))
    if not args:
        return []
    if args[0] != "do":
        return [list(args)]
    tasks: list[list[str]] = [[]]
    for word in args[1:]:
        if word in ("+", ","):
            tasks.append([])
            continue
        ends = word.endswith(",")
        tasks[-1].append(word.rstrip(","))
        if ends:
            tasks.append([])
    return [t for t in tasks if t and t[0]]


def _alias(
    project: Project, folder: str, task: list[str], depth: int, seen: set[str]
) -> list[Need]:
    name = task[0]
    aliases = project.mix_aliases(folder)
    if aliases is None or name not in aliases or name in seen:
        if aliases is not None and name not in aliases and folder == "." and name not in seen:
            # an umbrella runs a task its root does not define in every app
            out: list[Need] = []
            for app in project.apps:
                if app.kind == "umbrella_app" and name in app.mix.aliases:
                    out.extend(_alias(project, app.dir, task, depth, seen))
            return out
        return []
    seen = seen | {name}
    out = []
    for entry in aliases[name]:
        entry = entry.strip()
        if entry.startswith(("&", "fn")):
            out.extend(_function_needs(project, folder, entry, name))
            continue
        words = entry.split()
        if not words:
            continue
        if words[0] == "cmd":
            rest = words[1:]
            here = folder
            while rest and rest[0].startswith("--"):
                if rest[0] == "--cd" and len(rest) > 1:
                    here = normalize(posixpath.join(folder, rest[1]))
                    rest = rest[2:]
                elif rest[0] == "--app" and len(rest) > 1:
                    rest = rest[2:]
                else:
                    rest = rest[1:]
            for command in commands(" ".join(rest), here):
                for need in expand(project, command.argv, command.cwd, depth + 1):
                    out.append(Need(need.tool, f"alias {name}: cmd {need.how}"))
            continue
        if words[0] == name:
            continue  # the task itself, run from its alias
        for need in _alias(project, folder, words, depth + 1, seen):
            out.append(Need(need.tool, f"alias {name} -> {need.how}"))
    return out


def _function_needs(project: Project, folder: str, entry: str, alias: str) -> list[Need]:
    m = re.match(r"&(?:[A-Z][\w.]*\.)?([a-z_][\w?!]*)/\d", entry)
    body = project.function_source(folder, m.group(1)) if m else entry
    if not body:
        return []
    out: list[Need] = []
    for literal in re.findall(r'"([^"\\]*)"', body):
        words = literal.split()
        if words and (words[0] in NODE_PROGRAMS or words[0] in NODE_CLIS):
            out.append(Need("node", f"alias {alias}: {entry} runs {literal!r}"))
    return out


def _scripts(
    project: Project, program: str, argv: tuple[str, ...], folder: str
) -> list[tuple[str, str, str]]:
    """(folder, script name, body) of the package.json scripts an npm/yarn/pnpm/bun command
    runs (with pre/post scripts and install lifecycle scripts)."""
    args = list(argv[1:])
    here = folder
    rest: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        if word in ("--prefix", "--cwd", "-C", "--dir", "--cd") and i + 1 < len(args):
            here = normalize(posixpath.join(folder, args[i + 1]))
            i += 2
            continue
        if word.startswith(("--prefix=", "--cwd=", "--dir=")):
            here = normalize(posixpath.join(folder, word.split("=", 1)[1]))
            i += 1
            continue
        rest.append(word)
        i += 1
    positional = [w for w in rest if not w.startswith("-")]
    scripts = project.package_scripts(here)
    if not scripts:
        return []
    verb = positional[0] if positional else ""
    name = None
    if verb in ("run", "run-script") and len(positional) > 1:
        name = positional[1]
    elif verb in _RUN_VERBS.get(program, ()) or (
        program in ("yarn", "pnpm", "bun") and verb and verb not in _NPM_BUILTINS
    ):
        name = verb
    if name is not None:
        names = [f"pre{name}", name, f"post{name}"]
    elif verb in _LIFECYCLE:
        names = ["preinstall", "install", "postinstall", "prepare"]
    else:
        names = []
    return [(here, n, scripts[n]) for n in names if n in scripts]
