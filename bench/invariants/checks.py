"""The nine invariants. Each takes what the sweep saw of one project (the runs of
``inspect --json`` and ``init --dry-run``, the files init would write, the project's own files)
and returns a verdict: ``pass``, ``violation``, ``refused``/``failed`` (invariant 1: a clean
one-line refusal), ``unknown`` (the sweep cannot decide) or ``n/a``, with one-line findings."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.invariants import dockerfile as dfm
from bench.invariants import dockerignore
from bench.invariants.build import Build, Need
from bench.invariants.facts import NO_CONFIG_TASKS, Project, Read, matches_glob
from bench.invariants.shell import Command, normalize
from bench.invariants.tags import TagData, stated_refs, versions_of
from bench.invariants.versions import matches, otp_supported, parse_version

NAMES = {
    "1": "runs",
    "2": "tools",
    "3": "paths",
    "4": "tags",
    "5": "versions",
    "6": "toolchain",
    "7": "one-answer",
    "8": "no-source",
    "9": "listeners",
}
TOOLCHAIN_C = {
    "build-essential",
    "gcc",
    "g++",
    "make",
    "cmake",
    "clang",
    "autoconf",
    "automake",
    "libtool",
    "build-base",
    "musl-dev",
}
TOOLCHAIN_RUST = {"cargo", "rustc", "rustup", "rust"}
# rebar3/Mix packages whose build compiles C (a port compiler or a Makefile) without saying
# so in the lock's build tools; from the packages' sources.
C_PACKAGES = {
    "jiffy",
    "bcrypt",
    "eleveldb",
    "fast_tls",
    "fast_yaml",
    "stringprep",
    "esip",
    "eiconv",
    "fast_xml",
    "ezstd",
    "exml",
    "snappyer",
    "crc32cer",
    "erocksdb",
    "rocksdb",
    "hashids",
    "p1_utils",
    "procket",
    "syslog",
    "nifsy",
    "bitcask",
    "erlexec",
}
C_BEFORE = {"comeonin": (4, 0, 0)}
SOURCE_TOP = {
    "lib",
    "src",
    "c_src",
    "native",
    "assets",
    "config",
    "apps",
    "deps",
    "test",
    "web",
    "mix.exs",
    "mix.lock",
    "package.json",
    "rel",
}


@dataclass
class Run:
    rc: int | None
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False
    wrote: list[str] = field(default_factory=list)


@dataclass
class Subject:
    name: str
    project: Project
    inspect: Run
    init: Run
    inspect_json: dict[str, object] | None
    files: dict[str, str]
    tags: TagData
    otp_table: dict[str, dict[str, object]]
    catalog: dict[str, bool | None] = field(default_factory=dict)

    @property
    def dockerfile(self) -> dfm.Dockerfile | None:
        text = self.files.get("Dockerfile")
        if text is None:
            named = [k for k in self.files if k.endswith("Dockerfile")]
            text = self.files[named[0]] if named else None
        return dfm.parse(text) if text is not None else None

    @property
    def ignore_rules(self) -> list[dockerignore.Rule]:
        names = [k for k in self.files if k.endswith(".dockerignore")]
        return dockerignore.parse(self.files[names[0]]) if names else []

    @property
    def warnings(self) -> str:
        parts = [self.inspect.stderr, self.init.stderr]
        listed = (self.inspect_json or {}).get("warnings")
        if isinstance(listed, list):
            parts.extend(str(item) for item in listed)
        return "\n".join(parts)


@dataclass
class Verdict:
    status: str
    findings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"status": self.status, "findings": self.findings}


def _outcome(name: str, run: Run) -> tuple[str, str]:
    """(status, line) of one run: ok, refused (one clear line), or violation."""
    if run.timed_out:
        return "violation", f"{name} timed out after {run.seconds:.0f}s"
    if run.rc == 0:
        return "ok", ""
    text = run.stderr + run.stdout
    if "Traceback" in text or run.rc == 3 or "internal error" in text:
        line = next((ln for ln in text.splitlines() if "internal error" in ln), text.strip()[-300:])
        return "violation", f"{name} crashed (exit {run.rc}): {line.strip()}"
    errors = [ln for ln in run.stderr.splitlines() if ln.startswith("kubenative: error:")]
    if run.rc in (1, 2) and len(errors) == 1:
        return "refused", errors[0].removeprefix("kubenative: error:").strip()
    if run.rc in (1, 2) and not errors:
        return "violation", f"{name} exit {run.rc} with no error line"
    return "violation", f"{name} exit {run.rc} with {len(errors)} error lines"


def inv1_runs(s: Subject) -> Verdict:
    findings: list[str] = []
    statuses = []
    for name, run in (("inspect", s.inspect), ("init", s.init)):
        status, line = _outcome(name, run)
        statuses.append(status)
        if status != "ok":
            findings.append(f"{name}: {line}" if status == "refused" else line)
    for path in s.init.wrote:
        findings.append(f"init --dry-run wrote {path}")
    if s.init.rc == 0 and s.dockerfile is None:
        findings.append("init --dry-run exit 0 printed no Dockerfile")
    if "violation" in statuses or s.init.wrote or (s.init.rc == 0 and s.dockerfile is None):
        return Verdict("violation", findings)
    if statuses[0] == "refused":
        return Verdict("refused", findings)  # inspect refused what it could have reported
    if statuses[1] == "refused":
        return Verdict("failed", findings)
    return Verdict("pass")


# ---------------------------------------------------------------- 2: tools
def _older(version: str, than: tuple[int, ...]) -> bool:
    parts = tuple(int(n) for n in re.findall(r"\d+", version)[:3])
    return parts < than


# node-gyp supports Python 3 from 5.0.5; before, its configure refuses anything but Python 2.
_NODE_GYP_PYTHON3 = (5, 0, 5)
_INSTALL_VERBS = {"npm": ("ci", "install", "i"), "yarn": ("install", ""), "pnpm": ("install", "i")}


def _python2_missing(
    s: Subject, b: Build, stage: dfm.Stage, ins: dfm.Instruction, command: Command
) -> str | None:
    """A package install whose lock holds a node-gyp before 5.0.5 in a stage without Python 2."""
    verbs = _INSTALL_VERBS.get(command.program)
    verb = command.argv[1] if len(command.argv) > 1 else ""
    if verbs is None or verb not in verbs or command.cwd == "?":
        return None
    folder = b.project_folder(stage, command.cwd, ins.line)
    lock = s.project.node_gyp_versions(folder) if folder is not None else None
    old = [v for v in lock[1] if _older(v, _NODE_GYP_PYTHON3)] if lock else []
    if not lock or not old or "python2" in (b.tools(stage) or set()):
        return None
    return (
        f"Dockerfile:{ins.line}: stage {stage.label()} installs {lock[0]}, whose node-gyp "
        f"{old[0]} runs only Python 2, and installs no Python 2"
    )


def inv2_tools(s: Subject, b: Build) -> Verdict:
    findings: list[str] = []
    unknown: list[str] = []
    for stage, ins, cmds in b.steps():
        tools = b.tools(stage)
        if tools is None:
            unknown.append(f"stage {stage.label()}: base {stage.base} not classified")
            continue
        for command in cmds:
            missing = _python2_missing(s, b, stage, ins, command)
            if missing:
                findings.append(missing)
            for need in b.needs(stage, ins, command):
                if need.tool == "node" and not tools & {"node", "bun"}:
                    findings.append(
                        f"Dockerfile:{ins.line}: stage {stage.label()} has no Node: {need.how}"
                    )
                if need.tool == "elixir" and "elixir" not in tools:
                    if need.how.split()[0] in ("erl", "erlc", "escript", "rebar3") and (
                        "erlang" in tools
                    ):
                        continue
                    findings.append(
                        f"Dockerfile:{ins.line}: stage {stage.label()} has no Elixir: {need.how}"
                    )
    findings += _erts_missing(s, b)
    findings = list(dict.fromkeys(findings))
    if findings:
        return Verdict("violation", findings)
    return Verdict("unknown", sorted(set(unknown))) if unknown else Verdict("pass")


def _erts_missing(s: Subject, b: Build) -> list[str]:
    """A release without ERTS (``include_erts: false`` where the build reads it) runs on the
    Erlang of the image it is in: the final stage must have one."""
    step = _release_step(b)
    final = s.dockerfile.final if s.dockerfile else None
    if step is None or final is None:
        return []
    where = s.project.without_erts(step[2], step[3])
    tools = b.tools(final)
    if where is None or tools is None or tools & {"elixir", "erlang"}:
        return []
    return [
        f"stage {final.label()} has no Erlang, and the release carries none "
        f"({where}: include_erts: false)"
    ]


# ---------------------------------------------------------------- 3: paths
def _release_step(b: Build) -> tuple[dfm.Stage, dfm.Instruction, str, str | None] | None:
    """(stage, RUN, tool, release name) of the step that builds the release."""
    found: tuple[dfm.Stage, dfm.Instruction, str, str | None] | None = None
    for stage, ins, cmds in b.steps():
        for command in cmds:
            argv = command.argv
            if command.program != "mix" or len(argv) < 2:
                continue
            if argv[1] == "distillery.release":
                found = (stage, ins, "distillery", None)
            elif argv[1] == "release":
                flags = [a for a in argv[2:] if a.startswith("-")]
                names = [a for a in argv[2:] if not a.startswith("-")]
                tool = (
                    "distillery" if any(f.startswith(("--env", "--name")) for f in flags) else "mix"
                )
                name = next((f.split("=", 1)[1] for f in flags if f.startswith("--name=")), None)
                found = (stage, ins, tool, names[0] if names else name)
    return found


def _chain_runs(b: Build, stage: dfm.Stage) -> list[tuple[dfm.Stage, dfm.Instruction, list[str]]]:
    """The RUN steps of ``stage``'s chain with the Mix tasks each runs."""
    wanted = {s.index for s in stage.chain()}
    out = []
    for st, ins, cmds in b.steps():
        if st.index in wanted:
            tasks = [c.argv[1] for c in cmds if c.program == "mix" and len(c.argv) > 1]
            out.append((st, ins, tasks))
    return out


def _needed_line(
    kind: str, runs: list[tuple[dfm.Stage, dfm.Instruction, list[str]]], release: int
) -> int:
    for _st, ins, tasks in runs:
        if ins.line > release:
            break
        if kind == "path_dep" and any(not t.startswith(("local.", "hex.")) for t in tasks):
            return ins.line
        if kind == "config" and any(not t.startswith(NO_CONFIG_TASKS) for t in tasks):
            return ins.line
        if kind == "compile" and any(
            t in ("compile", "release", "distillery.release", "phx.digest")
            or t.startswith("assets")
            for t in tasks
        ):
            return ins.line
    return release


def _files_of(p: Project, read: Read) -> list[str]:
    if read.glob:
        base = read.path
        if any(c in base for c in "*?["):
            return [f for f in p.glob(base) if (p.root / f).is_file()][:300]
        return []
    if p.is_dir(read.path):
        return [f for f in p.glob(f"{read.path}/**/*") if (p.root / f).is_file()][:300]
    if p.exists(read.path):
        return [read.path]
    return []


def _covered(b: Build, stage: dfm.Stage, path: str, before: int) -> bool:
    for line, m in b.info[stage.index].mappings:
        if line >= before:
            continue
        if m.project == "." or m.project == path:
            return True
        if any(c in m.project for c in "*?[") and matches_glob(m.project, path):
            return True
        if m.is_dir and path.startswith(m.project.rstrip("/") + "/"):
            return True
    return False


def _secret_mounted(stage: dfm.Stage, path: str, before: int) -> bool:
    for link in stage.chain():
        for ins in link.instructions:
            if ins.op != "RUN" or ins.line > before:
                continue
            for mount in ins.flags.get("mount", "").split("\n"):
                if "type=secret" in mount and re.search(
                    rf"(?:target|dst|destination)=[^,]*{re.escape(path)}(?:,|$)", mount
                ):
                    return True
    return False


def _mentioned(warnings: str, path: str) -> bool:
    if path in warnings:
        return True
    top = path.split("/")[0]
    return f"{top}/" in warnings or f"`{top}`" in warnings or f" {top} " in warnings


def inv3_paths(s: Subject, b: Build) -> Verdict:
    p = s.project
    step = _release_step(b)
    if step is None:
        return Verdict("unknown", ["no step builds a release"])
    rel_stage, rel_ins, tool, name = step
    reads: list[Read] = list(p.release_reads(tool, name))
    if tool == "mix":
        for extra in ("config/runtime.exs", "config/releases.exs"):
            if p.exists(extra):
                reads.append(Read(extra, "release", "mix release reads it"))
    reads += p.path_dep_reads() + p.config_reads() + p.code_reads()
    runs = _chain_runs(b, rel_stage)
    final = s.dockerfile.final if s.dockerfile else None
    rules = s.ignore_rules
    findings: list[str] = []
    ignored = p.git_ignored(r.path for r in reads)
    for read in reads:
        if read.path.startswith(".."):
            continue
        if read.path in ignored:
            line = _needed_line(read.kind, runs, rel_ins.line)
            mounted = _secret_mounted(rel_stage, read.path, line)
            if not mounted and not _mentioned(s.warnings, read.path):
                findings.append(
                    f"{read.where}: reads {read.path}, which git ignores ({ignored[read.path]}); "
                    "no warning names it"
                )
            continue
        files = _files_of(p, read)
        if read.kind == "boot":
            if final is None or read.glob:
                continue
            # Source the release holds compiled never reaches the runtime (invariant 8), even
            # when a function reads it at boot: that read needs a warning, not a copy.
            compiled = [f for f in files if _COMPILED.search(f)]
            if compiled and not _mentioned(s.warnings, read.path):
                findings.append(
                    f"{read.where}: boot read {read.path} is compiled source ({compiled[0]}); "
                    "no warning names it"
                )
            for file in (f for f in files if not _COMPILED.search(f)):
                if not _covered(b, final, file, 10**9):
                    findings.append(f"{read.where}: boot read {file} is not in the runtime image")
                    break
            continue
        line = _needed_line(read.kind, runs, rel_ins.line)
        for file in files:
            if _secret_mounted(rel_stage, file, line):
                continue
            rule = dockerignore.excluded_by(rules, file)
            if not _covered(b, rel_stage, file, line):
                findings.append(
                    f"{read.where}: {read.kind} read {file} is not copied before Dockerfile:{line}"
                )
                break
            if rule is not None:
                findings.append(
                    f"{read.where}: {read.kind} read {file} is excluded by "
                    f".dockerignore:{rule.line} ({rule.pattern})"
                )
                break
    findings += _boot_config_said_built(s)
    findings = list(dict.fromkeys(findings))
    return Verdict("violation", findings) if findings else Verdict("pass")


_BUILT_ENV = re.compile(r"(\S+\.exs) reads environment variables while the release is built")


def _boot_config_said_built(s: Subject) -> list[str]:
    """Boot-time config (runtime.exs, releases.exs) that kubenative says is read while the
    image is built, though no import of the prod config chain reaches it: Mix evaluates it at
    boot only, so that warning (and a copy with the compile-time config) is wrong."""
    why: dict[str, set[str]] = {}
    for path, kind in s.project.config_files:
        why.setdefault(path, set()).add(kind)
    return [
        f"a warning says {path} is read while the release is built, but it is boot-time "
        "config no prod config imports"
        for path in dict.fromkeys(_BUILT_ENV.findall(s.warnings))
        if why.get(path) == {"runtime"}
    ]


# ---------------------------------------------------------------- 4: tags
def inv4_tags(s: Subject) -> Verdict:
    df = s.dockerfile
    assert df is not None
    own = []
    for rel in ("Dockerfile", ".tool-versions", ".github/workflows", ".gitlab-ci.yml", "fly.toml"):
        target = s.project.root / rel
        if target.is_file():
            own.append(target.read_text(encoding="utf-8", errors="replace"))
        elif target.is_dir():
            own.extend(
                f.read_text(encoding="utf-8", errors="replace") for f in target.glob("*.y*ml")
            )
    stated: set[str] = set()
    for extra in s.project.glob("Dockerfile*") + s.project.glob("*/Dockerfile*"):
        text = s.project.read(extra) or ""
        own.append(text)
        # FROM lines and ARG defaults with the project's own ARGs substituted
        stated.update(ref for ref, _, _ in dfm.image_refs(dfm.parse(text)))
    stated |= stated_refs(own)
    findings: list[str] = []
    unknown: list[str] = []
    for ref, line, how in dfm.image_refs(df):
        verdict = s.tags.check(ref, stated)
        if verdict.ok is False:
            findings.append(f"Dockerfile:{line} {how}: {ref}: {verdict.reason}")
        elif verdict.ok is None:
            unknown.append(f"{ref}: {verdict.reason}")
        if (
            verdict.ok is not False
            and s.catalog.get(ref) is False
            and verdict.reason != ("named verbatim by the project")
        ):
            findings.append(f"Dockerfile:{line} {how}: {ref}: not in kubenative's catalog")
    if findings:
        return Verdict("violation", findings)
    return Verdict("pass", [f"not checked: {u}" for u in unknown])


# ---------------------------------------------------------------- 5: versions
def chosen_versions(s: Subject) -> dict[str, str | None]:
    """Elixir/OTP/Node the Dockerfile builds with: its builder and Node image tags, and the
    header's claim where a tag does not say (an official elixir image without -otp-)."""
    df = s.dockerfile
    out: dict[str, str | None] = {"elixir": None, "otp": None, "node": None}
    if df is None:
        return out
    for stage in df.stages:
        image = stage.image
        if image is None or stage.parent is not None:
            continue
        found = versions_of(image, s.tags)
        for key, value in found.items():
            if value and out[key] is None:
                out[key] = value
    return out


def header_versions(df: dfm.Dockerfile) -> dict[str, str | None]:
    text = "\n".join(df.header)
    m = re.search(r"Elixir (\S+?),? (?:on )?OTP (\S+?)[,;\s]", text + " ")
    return {"elixir": m.group(1) if m else None, "otp": m.group(2).rstrip(",;") if m else None}


def inv5_versions(s: Subject) -> Verdict:
    p = s.project
    dockerfile_written = s.dockerfile is not None
    hard: list[tuple[str, str, str]] = []  # (requirement, why, where)
    for requirement, where in p.elixir_requirements():
        hard.append((requirement, "mix.exs elixir:", where))
    if p.has_mix_releases():
        hard.append((">= 1.9.0", "releases: needs mix release", "mix.exs"))
    if p.exists("config/releases.exs"):
        hard.append((">= 1.9.0", "config/releases.exs needs mix release", "config/releases.exs"))
    if p.exists("config/runtime.exs"):
        hard.append((">= 1.11.0", "config/runtime.exs needs Elixir 1.11", "config/runtime.exs"))
    distillery, reachable = p.distillery()
    old_distillery = False
    if distillery and reachable and (parse_version(distillery) or (9, 9, 9)) < (2, 1, 0):
        old_distillery = True
        hard.append(("< 1.9.0", f"Distillery {distillery} (reached by prod deps)", "mix.lock"))
    lower = [h for h in hard if h[0].startswith(">=")]
    if old_distillery and lower:
        conflict = f"{lower[0][1]} ({lower[0][2]}) and Distillery {distillery} (mix.lock)"
        if dockerfile_written:
            return Verdict(
                "violation", [f"hard constraints conflict: {conflict}; a Dockerfile was written"]
            )
        return Verdict("pass", [f"conflict reported: {conflict}"])
    if not dockerfile_written:
        return Verdict("n/a")
    chosen = chosen_versions(s)
    elixir = chosen["elixir"]
    if elixir is None:
        header = header_versions(s.dockerfile) if s.dockerfile else {}
        elixir = header.get("elixir")
    findings: list[str] = []
    if elixir is None:
        return Verdict("unknown", ["no Elixir version in the Dockerfile"])
    if len(elixir.split("-")[0].split(".")) < 3:
        return Verdict("unknown", [f"Elixir {elixir} is no release (invariant 4 says more)"])
    for requirement, why, where in hard:
        ok = matches(elixir, requirement)
        if ok is False:
            findings.append(f"Elixir {elixir} breaks {why} {requirement!r} ({where})")
    otp = chosen["otp"] or (header_versions(s.dockerfile).get("otp") if s.dockerfile else None)
    if otp:
        ok = otp_supported(elixir, otp, s.otp_table)
        if ok is False:
            findings.append(f"OTP {otp} is outside what Elixir {elixir} supports")
    return Verdict("violation", findings) if findings else Verdict("pass")


# ---------------------------------------------------------------- 6: toolchain
def _installed_packages(text: str) -> set[str]:
    found: set[str] = set()
    for match in re.finditer(
        r"\b(?:apt-get|apt|apk|yum|dnf)\b[^;&|]*?\b(?:install|add)\b([^;&|\n]*)", text
    ):
        for word in match.group(1).split():
            if word.startswith("-") or word.startswith("$"):
                continue
            found.add(re.split(r"[=<>]", word)[0].strip("\\"))
    if re.search(r"sh\.rustup\.rs|rustup-init", text):
        found.add("rustup")
    return found


def native_needs(p: Project) -> dict[str, list[str]]:
    """tool family ("c", "rust") -> prod-reachable deps (or the project) that need it."""
    needs: dict[str, list[str]] = {"c": [], "rust": [], "unknown": []}
    for name in sorted(p.prod_reachable):
        entry = p.lock.get(name)
        if entry is None:
            continue
        if entry.scm == "git":
            needs["unknown"].append(f"{name} (git)")
            continue
        required = set(entry.deps) - set(entry.optional_deps)
        if "rustler" in required:
            needs["rust"].append(name)
            needs["c"].append(name)
        if _builds_c(name, entry.build_tools, required) or _old_c(name, entry.version):
            needs["c"].append(name)
        elif name in p.lock_without_metadata:
            needs["unknown"].append(f"{name} (an old lock entry without build metadata)")
    for app in p.apps:
        mix_text = p.read(posixpath.join(app.dir, "mix.exs")) or ""
        if re.search(r":elixir_make\b", mix_text) or p.exists(posixpath.join(app.dir, "c_src")):
            needs["c"].append(f"{app.dir} (own C code)")
        if p.glob(f"{app.dir}/native/*/Cargo.toml") and "rustler" in p.prod_reachable:
            needs["rust"].append(f"{app.dir} (own Rust NIF)")
            needs["c"].append(f"{app.dir} (own Rust NIF)")
    return needs


def inv6_toolchain(s: Subject) -> Verdict:
    df = s.dockerfile
    assert df is not None
    final = df.final
    installed: dict[str, int] = {}
    for stage in df.stages:
        if stage is final:
            continue
        for ins in stage.instructions:
            if ins.op == "RUN":
                for pkg in _installed_packages(ins.args + "\n" + "\n".join(ins.heredocs)):
                    installed.setdefault(pkg, ins.line)
    needs = native_needs(s.project)
    findings: list[str] = []
    git = [n for n in needs["unknown"] if n.endswith("(git)")]
    old = [n for n in needs["unknown"] if not n.endswith("(git)")]
    undecided: list[str] = []
    for family, packages in (("c", TOOLCHAIN_C), ("rust", TOOLCHAIN_RUST)):
        present = sorted(set(installed) & packages)
        if not present or needs[family]:
            continue
        if git:
            continue  # a git dependency may build anything: the toolchain is the safe side
        if old:
            undecided.append(f"{', '.join(present)}: the lock has no build metadata ({old[0]})")
            continue
        if present:
            dev_only = _dev_only_natives(s.project, family)
            why = f"; only test/dev deps need one: {', '.join(dev_only)}" if dev_only else ""
            findings.append(
                f"Dockerfile:{installed[present[0]]}: installs {', '.join(present)} but no prod "
                f"dependency builds {family.upper()} code{why}"
            )
    if findings:
        return Verdict("violation", findings)
    return Verdict("unknown", undecided) if undecided else Verdict("pass")


def _builds_c(name: str, build_tools: tuple[str, ...], required: set[str]) -> bool:
    """A package builds C code: it needs elixir_make, is a known C package, or builds with
    make alone (cowboy's package lists make beside rebar3 for its erlang.mk: no C)."""
    makes = "make" in build_tools and "rebar3" not in build_tools
    return makes or "elixir_make" in required or name in C_PACKAGES


def _old_c(name: str, version: str | None) -> bool:
    """Packages that built C in older versions only (comeonin < 4 compiled bcrypt itself)."""
    below = C_BEFORE.get(name)
    parsed = parse_version(version) if version else None
    return below is not None and parsed is not None and parsed < below


def _dev_only_natives(p: Project, family: str) -> list[str]:
    out = []
    for name, entry in sorted(p.lock.items()):
        if name in p.prod_reachable:
            continue
        required = set(entry.deps) - set(entry.optional_deps)
        is_c = _builds_c(name, entry.build_tools, required)
        is_rust = "rustler" in required
        if (family == "c" and (is_c or is_rust)) or (family == "rust" and is_rust):
            out.append(name)
    return out


# ---------------------------------------------------------------- 7: one answer
def inv7_one_answer(s: Subject) -> Verdict:
    df = s.dockerfile
    assert df is not None
    data = s.inspect_json
    if not isinstance(data, dict):
        return Verdict("n/a", ["no inspect --json output"])
    chosen = chosen_versions(s)
    header = header_versions(df)
    findings: list[str] = []
    for key in ("elixir", "otp"):
        said = _said(data.get(key))
        for source, value in (("the builder tag", chosen[key]), ("the header", header.get(key))):
            if value is None:
                continue
            # an official elixir image names only the OTP major it was built on
            same = said == value or (
                key == "otp" and "." not in value and (said or "").split(".")[0] == value
            )
            if not same:
                findings.append(f"inspect says {key} {said}, {source} {value}")
    node_said = _said(data.get("node"))
    if chosen["node"] is not None and node_said != chosen["node"]:
        findings.append(f"inspect says node {node_said}, the Node image {chosen['node']}")
    return Verdict("violation", findings) if findings else Verdict("pass")


def _said(value: object) -> str | None:
    """A version as inspect --json gives it: a string, or an object with a ``version``."""
    if isinstance(value, dict):
        value = value.get("version") or value.get("chosen")
    return None if value is None else str(value)


# ---------------------------------------------------------------- 8: no source
_CODE = re.compile(
    r"\.(ex|exs|erl|hrl|c|cc|cpp|h|rs|js|mjs|cjs|ts|jsx|tsx|vue|svelte|scss|sass|less|css|elm)$"
)
_PROJECT_FILES = {"mix.exs", "mix.lock", "package.json", "package-lock.json", "yarn.lock"}
# Source the build compiles into the release (Elixir, Erlang, leex/yecc, NIF C and Rust): the
# runtime never holds it, even when read at boot. Other files read at boot (an .exs or .eex the
# release evaluates, JSON, SVG, a .js it reads) are data and allowed.
_COMPILED = re.compile(r"\.(ex|erl|hrl|yrl|xrl|c|cc|cpp|h|rs)$")


def _is_source(p: Project, rel: str) -> str | None:
    """Why the project path ``rel`` is source (code, or a folder holding code), or None."""
    if rel in (".", ""):
        return "the whole project"
    name = posixpath.basename(rel)
    if name in _PROJECT_FILES or _CODE.search(name):
        return "source"
    if p.is_dir(rel):
        for file in p.glob(f"{rel}/**/*"):
            if _CODE.search(file) or posixpath.basename(file) in _PROJECT_FILES:
                return f"a folder of source ({file})"
    return None


def inv8_no_source(s: Subject, b: Build | None = None) -> Verdict:
    """The runtime stage holds the release and data, no source: a copy from the context (or a
    build stage) of a source file or of a folder that holds source (.ex, .exs, .js, ...), the
    whole project, or the build stage's working folder, is a violation. Boot-read files are
    allowed. Copies from a build stage that the sweep cannot map to project files fall back to
    their folder name (lib, src, config, assets, deps, ...)."""
    df = s.dockerfile
    assert df is not None
    final = df.final
    assert final is not None
    b = b or Build(df, s.project)
    boot = {r.path for r in s.project.code_reads() if r.kind == "boot"}
    findings: list[str] = []

    def booted(rel: str) -> bool:
        """A boot-read path that holds no compiled source (those are never data)."""
        if not (rel in boot or any(rel.startswith(x.rstrip("/") + "/") for x in boot)):
            return False
        if _COMPILED.search(rel):
            return False
        return not (
            s.project.is_dir(rel)
            and any(_COMPILED.search(f) for f in s.project.glob(f"{rel}/**/*"))
        )

    for ins in final.instructions:
        copy = dfm.copies(final, ins)
        if copy is None:
            continue
        source_stage = df.stage(copy.from_) if copy.from_ else None
        if copy.from_ is not None and source_stage is None:
            continue  # an image (e.g. a static binary)
        for source in copy.sources:
            if source_stage is None:
                rel = normalize(source)
                why = None if booted(rel) else _is_source(s.project, rel)
                if why:
                    findings.append(f"Dockerfile:{ins.line}: runtime copies {source} ({why})")
                continue
            last = source_stage.instructions[-1] if source_stage.instructions else None
            workdir = dfm.workdir_at(source_stage, last) if last else "/"
            if last is not None and last.op == "WORKDIR":
                workdir = dfm.join(workdir, last.args.strip())
            path = dfm.join(workdir, source)
            if "/_build/" in path and "/rel/" in path:
                continue
            if path.rstrip("/") == workdir.rstrip("/"):
                findings.append(
                    f"Dockerfile:{ins.line}: runtime copies all of {path} from {copy.from_}"
                )
                continue
            mapped = b.project_path(source_stage, path)
            if mapped is not None:
                why = None if booted(mapped) else _is_source(s.project, mapped)
                if why:
                    findings.append(
                        f"Dockerfile:{ins.line}: runtime copies {path} from {copy.from_} ({why})"
                    )
                continue
            if path.startswith(workdir.rstrip("/") + "/"):
                rest = path[len(workdir.rstrip("/")) + 1 :]
                if rest.split("/")[0] in SOURCE_TOP or _CODE.search(rest):
                    findings.append(
                        f"Dockerfile:{ins.line}: runtime copies {path} from {copy.from_}"
                    )
    return Verdict("violation", findings) if findings else Verdict("pass")


# ---------------------------------------------------------------- 9: listeners
def inv9_listeners(s: Subject) -> Verdict:
    """EXPOSE only ports the listeners give: an endpoint's http/https config (a number, or an
    env var's default, or the value the Dockerfile's ENV sets for that variable; Phoenix <= 1.4
    endpoints that read their port in ``init/2`` count by that variable), or, for a listener
    started in code (Plug.Cowboy, Bandit...), a port written in that file or an app's ``port:``
    setting. ``PORT`` may be set to a port no listener gives only when something reads
    ``PORT``. When a listener's port cannot be read (an absent imported config, a port built
    at run time), a port outside the known ones is ``unknown``, not a violation."""
    df = s.dockerfile
    assert df is not None
    final = df.final
    assert final is not None
    p = s.project
    listeners, unresolved = p.listeners()
    every = p.code_listeners()
    code = [c for c in every if c.scheme != "non-http"]
    other = {c.port for c in every if c.scheme == "non-http" and c.port is not None}
    env = dfm.stage_env(final)
    allowed: set[int] = set()
    for item in [*listeners, *code]:
        if item.port is not None:
            allowed.add(item.port)
        value = env.get(item.env) if item.env else None
        if value and value.isdigit():
            allowed.add(int(value))
    if any(c.scheme == "code" for c in code):
        allowed |= p.app_ports()
    known = {item.endpoint for item in [*listeners, *code]}
    known |= {u.split()[0] for u in unresolved}
    undecided = list(unresolved)
    undecided += [f"{m}: no http/https config read" for m in sorted(p.endpoint_modules() - known)]
    undecided += [f"{c.endpoint} in {c.where}" for c in code if c.port is None and c.env is None]
    undecided += [f"{path} (imported at {where}) is absent" for path, where in p.missing_imports]
    exposed: list[tuple[int, int]] = []
    for ins in final.instructions:
        if ins.op == "EXPOSE":
            for word in ins.args.split():
                number = word.split("/")[0]
                if number.isdigit():
                    exposed.append((int(number), ins.line))
    findings: list[str] = []
    envs = sorted({item.env for item in [*listeners, *code] if item.env})
    gives = ", ".join(str(n) for n in sorted(allowed)) or "no port"
    if envs:
        gives += f" (env {', '.join(envs)})"
    for port, line in exposed:
        if port in other and port not in allowed:
            findings.append(f"Dockerfile:{line}: EXPOSE {port}, a non-HTTP listener's port")
            continue
        if port in allowed or undecided:
            continue
        where = "; ".join(sorted({c.where for c in code}))
        findings.append(
            f"Dockerfile:{line}: EXPOSE {port}, but the listeners give {gives}"
            + (f" (code: {where})" if where else "")
        )
    config_text = "\n".join(_uncommented(p.read(path) or "") for path, _ in p.config_files)
    code_text = "\n".join(_uncommented(p.read(c.where.split(":")[0]) or "") for c in code)
    reads_port = "PORT" in envs or '"PORT"' in (config_text + code_text)
    value = env.get("PORT")
    if value and value.isdigit() and int(value) in other and int(value) not in allowed:
        findings.append(f"PORT={value} is a non-HTTP listener's port")
    elif (
        value
        and not reads_port
        and not undecided
        and not (value.isdigit() and int(value) in allowed)
    ):
        findings.append(f"PORT={value} is set, but no listener gives it and nothing reads PORT")
    for name, where in p.port_switches().items():
        if name in env:
            findings.append(
                f"{name}={env[name]} is set, but the project reads {name} only to start a "
                f"listener when it is set ({where}): setting it switches that listener on"
            )
    if findings:
        return Verdict("violation", findings)
    notes = []
    if undecided and any(port not in allowed for port, _ in exposed):
        if "--port" not in s.warnings:
            # the image guesses a port nothing gives it: the user must be told so
            return Verdict(
                "violation",
                [f"port not read statically and no --port warning: {u}" for u in undecided],
            )
        return Verdict("unknown", [f"port not read statically: {u}" for u in undecided])
    fixed = {item.port for item in listeners if item.port is not None and item.env is None}
    missing = sorted(fixed - {port for port, _ in exposed})
    if missing:
        notes.append(f"note: endpoint ports not exposed: {', '.join(map(str, missing))}")
    if value and not reads_port:
        notes.append(f"note: PORT={value} is set, but nothing reads PORT")
    return Verdict("pass", notes)


def run_all(s: Subject) -> dict[str, Verdict]:
    out: dict[str, Verdict] = {"1": inv1_runs(s)}
    df = s.dockerfile
    if df is None:
        for key in "2346789":
            out[key] = Verdict("n/a", ["no Dockerfile"])
        out["5"] = inv5_versions(s)
        return out
    b = Build(df, s.project)
    steps: list[tuple[str, Callable[[], Verdict]]] = [
        ("2", lambda: inv2_tools(s, b)),
        ("3", lambda: inv3_paths(s, b)),
        ("4", lambda: inv4_tags(s)),
        ("5", lambda: inv5_versions(s)),
        ("6", lambda: inv6_toolchain(s)),
        ("7", lambda: inv7_one_answer(s)),
        ("8", lambda: inv8_no_source(s, b)),
        ("9", lambda: inv9_listeners(s)),
    ]
    for key, check in steps:
        try:
            out[key] = check()
        except Exception as err:  # a bug of the sweep: say so, keep going
            out[key] = Verdict("error", [f"sweep bug: {type(err).__name__}: {err}"])
    return dict(sorted(out.items()))


__all__ = ["NAMES", "Need", "Run", "Subject", "Verdict", "run_all"]


def _uncommented(text: str) -> str:
    return re.sub(r"(?m)^\s*#.*$", "", text)
