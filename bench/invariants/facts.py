"""What a project says, read by the sweep on its own: Mix projects (umbrella apps, in-project
path deps), the lock and what prod reaches in it, release configuration, files config and code
read, package.json scripts, endpoints' ports, and which paths git ignores.

Paths are project-relative POSIX strings (``config/helper.exs``); a path that leaves the
project starts with ``..``.
"""

from __future__ import annotations

import fnmatch
import json
import os
import posixpath
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from bench.invariants import elixir as ex
from bench.invariants.shell import normalize

DEFAULT_APPS_PATH = "apps"
# Mix tasks that do not evaluate the project's config (everything else loads it).
NO_CONFIG_TASKS = ("local.", "deps.get", "hex.", "archive.", "deps.unlock", "help")


@dataclass(frozen=True)
class Read:
    """A file the build or the boot reads: ``path`` (project-relative), ``kind`` (``config``,
    ``compile``, ``boot``, ``release``, ``path_dep``), and where it is named (``file:line``)."""

    path: str
    kind: str
    where: str
    glob: bool = False


@dataclass(frozen=True)
class Listener:
    """An http/https port of an endpoint: a fixed port, or an env var with its default."""

    endpoint: str
    scheme: str
    port: int | None
    env: str | None
    where: str


@dataclass
class MixApp:
    dir: str  # project-relative folder of the mix.exs
    mix: ex.MixProject
    kind: str  # "root", "umbrella_app", "path_dep"


@dataclass
class Project:
    root: Path

    # ---- files ----
    def read(self, rel: str) -> str | None:
        path = self.root / rel
        try:
            return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
        except OSError:
            return None

    def exists(self, rel: str) -> bool:
        return (self.root / rel).exists()

    def is_dir(self, rel: str) -> bool:
        return (self.root / rel).is_dir()

    def glob(self, pattern: str) -> list[str]:
        return sorted(
            str(p.relative_to(self.root)).replace(os.sep, "/") for p in self.root.glob(pattern)
        )

    # ---- Mix projects ----
    @cached_property
    def apps(self) -> list[MixApp]:
        """The root mix.exs, every umbrella app, and every in-project path dependency."""
        out: list[MixApp] = []
        seen: set[str] = set()

        def add(folder: str, kind: str) -> None:
            folder = normalize(folder)
            if folder in seen or folder.startswith(".."):
                return
            source = self.read(posixpath.join(folder, "mix.exs"))
            if source is None:
                return
            mix = ex.parse_mix(source, posixpath.join(folder, "mix.exs"))
            if mix is None:
                return
            seen.add(folder)
            out.append(MixApp(folder, mix, kind))
            if mix.umbrella:
                apps_path = posixpath.join(folder, mix.apps_path or DEFAULT_APPS_PATH)
                for child in self.glob(f"{apps_path}/*/mix.exs") if apps_path != "." else []:
                    add(posixpath.dirname(child), "umbrella_app")
            for dep in mix.deps:
                if dep.path and not dep.in_umbrella and _prod(dep.only):
                    add(posixpath.join(folder, dep.path), "path_dep")

        add(".", "root")
        return out

    @property
    def root_mix(self) -> ex.MixProject | None:
        return self.apps[0].mix if self.apps and self.apps[0].dir == "." else None

    @cached_property
    def lock(self) -> dict[str, ex.LockEntry]:
        mix = self.root_mix
        name = (mix.lockfile if mix else None) or "mix.lock"
        source = self.read(name)
        return ex.parse_lock(source, name) if source else {}

    @cached_property
    def lock_without_metadata(self) -> set[str]:
        """Hex entries of an old lock (``{:hex, :name, "1.0.0"}``): no build tools, no deps."""
        mix = self.root_mix
        text = self.read((mix.lockfile if mix else None) or "mix.lock") or ""
        return set(re.findall(r'"([\w]+)"\s*(?::|=>)\s*\{:hex,\s*:\w+,\s*"[^"]+"\s*\}', text))

    @cached_property
    def prod_reachable(self) -> set[str]:
        """Lock entries a prod build fetches: the prod deps of every app, and what they need."""
        start: list[str] = []
        for app in self.apps:
            for dep in app.mix.deps:
                if dep.in_umbrella or dep.path:
                    continue
                if _prod(dep.only):
                    start.append(dep.name)
        seen: set[str] = set()
        while start:
            name = start.pop()
            if name in seen:
                continue
            seen.add(name)
            entry = self.lock.get(name)
            if entry is not None:
                optional = set(entry.optional_deps)
                start.extend(d for d in entry.deps if d not in optional)
        return seen

    @cached_property
    def declared_only(self) -> dict[str, list[tuple[str, tuple[str, ...] | None]]]:
        """dep name -> [(app folder, only)] over every app."""
        out: dict[str, list[tuple[str, tuple[str, ...] | None]]] = {}
        for app in self.apps:
            for dep in app.mix.deps:
                out.setdefault(dep.name, []).append((app.dir, dep.only))
        return out

    def elixir_requirements(self) -> list[tuple[str, str]]:
        """(requirement, mix.exs path) for the root and every umbrella app."""
        return [
            (app.mix.elixir, posixpath.join(app.dir, "mix.exs"))
            for app in self.apps
            if app.kind != "path_dep" and app.mix.elixir
        ]

    @cached_property
    def mix_releases(self) -> dict[str, dict[str, ex.Value]]:
        """release name -> its options, as mix.exs ``releases:`` (root mix.exs) gives them."""
        source = self.read("mix.exs")
        if source is None:
            return {}
        root = ex.parse(source, "mix.exs")
        if root is None:
            return {}
        modules = [m for m in ex.find_modules(root) if m.uses("Mix.Project")]
        if not modules or ("project", 0) not in modules[0].functions:
            return {}
        config = ex.Evaluator(modules[0]).call("project", source="project()")
        releases = ex.keyword_get(config, "releases")
        out: dict[str, dict[str, ex.Value]] = {}
        for name, opts in ex.keyword_items(releases):
            out[name] = dict(ex.keyword_items(opts))
        return out

    def has_mix_releases(self) -> bool:
        mix = self.root_mix
        return bool(mix and mix.releases is not None)

    def distillery(self) -> tuple[str | None, bool]:
        """(Distillery's locked version, whether a prod dependency reaches it)."""
        entry = self.lock.get("distillery")
        if entry is None:
            return None, False
        return entry.version, "distillery" in self.prod_reachable

    # ---- release configuration ----
    def release_reads(self, tool: str, release: str | None) -> list[Read]:
        if tool == "distillery":
            return self._distillery_reads()
        return self._mix_release_reads(release)

    def _mix_release_reads(self, release: str | None) -> list[Read]:
        reads: list[Read] = []
        releases = self.mix_releases
        chosen: list[str | None] = (
            [release] if release in releases else [*releases] if releases else [None]
        )
        for name in chosen:
            opts = releases.get(name, {}) if name else {}
            templates = opts.get("rel_templates_path")
            rel = templates if isinstance(templates, str) else "rel"
            overlays = opts.get("overlays")
            where = "mix.exs (releases)"
            if isinstance(overlays, list):
                for item in overlays:
                    if isinstance(item, str):
                        reads.append(Read(normalize(item), "release", f"{where}: overlays"))
            elif self.is_dir(posixpath.join(rel, "overlays")):
                reads.append(
                    Read(posixpath.join(rel, "overlays"), "release", "mix release default")
                )
            for template in ("vm.args.eex", "env.sh.eex", "remote.vm.args.eex"):
                path = posixpath.join(rel, template)
                if self.exists(path):
                    reads.append(Read(path, "release", "mix release template"))
        return reads

    def without_erts(self, tool: str, release: str | None) -> str | None:
        """Where the release built says ``include_erts: false`` (it then runs on the Erlang of
        the image it is in), or None. Distillery builds ``:prod``, or the
        ``default_environment`` of a config with no prod (else the first environment); an
        ``environment`` setting wins over a ``release`` block's, other environments never
        count."""
        if tool != "distillery":
            releases = self.mix_releases
            name = release if release in releases else next(iter(releases), None)
            opts = releases.get(name, {}) if name else {}
            return f"mix.exs (release {name})" if opts.get("include_erts") is False else None
        source = self.read("rel/config.exs")
        root = ex.parse(source, "rel/config.exs") if source else None
        if root is None:
            return None
        declared, default = [], None
        for node, name in ex.calls(root):
            args = ex.call_arguments(node)
            if name == "environment" and args and args[0].type == "atom":
                declared.append(ex.text(args[0]).lstrip(":"))
            found = (
                re.search(r"default_environment:\s*:(\w+)", ex.text(node))
                if name == "use"
                else None
            )
            default = found.group(1) if found else default
        built = (
            "prod"
            if "prod" in declared or not declared
            else (default if default in declared else declared[0])
        )
        others = tuple(e for e in declared if e != built)
        said: dict[bool, str] = {}
        for node, name in ex.calls(root):
            if name != "set" or _inside_environment(node, others):
                continue
            match = re.search(r"include_erts:\s*false\b", ex.text(node))
            if match:
                said.setdefault(
                    _inside_environment(node, (built,)), f"rel/config.exs:{ex.line(node)}"
                )
        return said.get(True) or said.get(False)

    def port_switches(self) -> dict[str, str]:
        """``*PORT*`` variables that prod config and source read only as the condition of an
        ``if`` without ``else`` (``if p = System.get_env("BOB_METRICS_PORT") do ... end``),
        each with that ``if``'s file:line: unset, what the ``if`` starts stays off."""
        files = [path for path, _ in self.config_files] + [f for f, _ in self.source_files()]
        guards: dict[str, list[str]] = {}
        reads: dict[str, int] = {}
        for path in files:
            source = self.read(path) or ""
            if "PORT" not in source:
                continue
            root = ex.parse(source, path)
            if root is None:
                continue
            # every mention of the name counts: `Map.get(env, "PORT")` reads it too
            for variable in re.findall(r'"([A-Z_]*PORT[A-Z0-9_]*)"', source):
                reads[variable] = reads.get(variable, 0) + 1
            for node, name in ex.calls(root):
                args = ex.call_arguments(node)
                if name != "if" or not args or _has_else(node):
                    continue
                for inner, inner_name in ex.calls(args[0]):
                    first = ex.call_arguments(inner)
                    if inner_name == "System.get_env" and first and first[0].type == "string":
                        variable = ex.text(first[0]).strip('"')
                        if "PORT" in variable:
                            guards.setdefault(variable, []).append(f"{path}:{ex.line(node)}")
        return {v: where[0] for v, where in guards.items() if reads.get(v) == len(where)}

    def _distillery_reads(self) -> list[Read]:
        source = self.read("rel/config.exs")
        if source is None:
            return []
        root = ex.parse(source, "rel/config.exs")
        if root is None:
            return []
        scope = ex.Scope("rel", "rel/config.exs")
        reads: list[Read] = []
        for node, name in ex.calls(root):
            if name != "set" or _inside_environment(node, ("dev", "test")):
                continue
            for arg in ex.call_arguments(node):
                if arg.type != "keywords":
                    continue
                for pair in arg.named_children:
                    key_node = pair.child_by_field_name("key")
                    value = pair.child_by_field_name("value")
                    key = ex.keyword_name(key_node) if key_node is not None else None
                    if key is None or value is None:
                        continue
                    where = f"rel/config.exs:{ex.line(pair)} ({key})"
                    for path in _distillery_paths(key, value, scope):
                        reads.append(Read(path, "release", where))
        return reads

    # ---- config ----
    @property
    def config_files(self) -> list[tuple[str, str]]:
        """(config file, why) that a prod build evaluates: config.exs and what it imports
        (for Mix.env = prod), plus runtime.exs and releases.exs when present."""
        return self._config_scan[0]

    @property
    def missing_imports(self) -> list[tuple[str, str]]:
        """(path, file:line) of config files imported without a ``File.exists?`` guard that
        the project does not have (e.g. a gitignored ``prod.secret.exs``)."""
        return self._config_scan[1]

    @cached_property
    def _config_scan(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        mix = self.root_mix
        start = (mix.config_path if mix else None) or "config/config.exs"
        out: list[tuple[str, str]] = []
        missing: list[tuple[str, str]] = []
        pending = [(normalize(start), "config")]
        for extra in ("config/runtime.exs", "config/releases.exs"):
            if self.exists(extra):
                pending.append((extra, "runtime"))
        seen: set[str] = set()
        while pending:
            path, why = pending.pop(0)
            if path in seen:
                continue
            seen.add(path)
            source = self.read(path)
            if source is None:
                continue
            out.append((path, why))
            root = ex.parse(source, path)
            if root is None:
                continue
            scope = ex.Scope(posixpath.dirname(path) or ".", path)
            for node, name in ex.calls(root):
                if name != "import_config":
                    continue
                args = ex.arguments(node)
                value = ex.fold(args[0], scope) if args else None
                if not isinstance(value, str):
                    continue
                target = normalize(posixpath.join(scope.file_dir, value))
                matches = self.glob(target) if any(c in target for c in "*?[") else [target]
                pending.extend((m, why) for m in matches)
                if matches == [target] and not self.exists(target) and not _guarded(node):
                    missing.append((target, f"{path}:{ex.line(node)}"))
        return out, missing

    def config_reads(self) -> list[Read]:
        """Files compile-time config evaluates or reads (not the imports themselves)."""
        reads: list[Read] = []
        for path, why in self.config_files:
            if why != "config":
                continue
            source = self.read(path) or ""
            root = ex.parse(source, path)
            if root is None:
                continue
            scope = ex.Scope(posixpath.dirname(path) or ".", path)
            for node, name in ex.calls(root):
                if name not in _CONFIG_READERS:
                    continue
                args = ex.arguments(node)
                value = ex.fold(args[0], scope) if args else None
                if isinstance(value, str) and not value.startswith("/"):
                    reads.append(Read(normalize(value), "config", f"{path}:{ex.line(node)}"))
        # the import targets are config files the build must have as well
        for path, why in self.config_files:
            if why == "config":
                reads.append(Read(path, "config", "config import chain"))
        for path, where in self.missing_imports:
            reads.append(Read(path, "config", f"{where} (imported, absent)"))
        return reads

    def listeners(self) -> tuple[list[Listener], list[str]]:
        """Every http/https port that prod config gives an endpoint (``config :app, Mod,
        http: [port: ...]``), and the ones whose port cannot be read. A port given by a variable
        (``port = String.to_integer(System.get_env("PORT") || "4000")``) is followed to its
        assignment in the same file."""
        found: list[Listener] = []
        portless: list[Listener] = []
        unresolved: list[str] = []
        for path, _why in self.config_files:
            source = self.read(path) or ""
            root = ex.parse(source, path)
            if root is None:
                continue
            assigned = _assignments(root)
            for node, name in ex.calls(root):
                if name != "config":
                    continue
                args = ex.call_arguments(node)
                if len(args) < 2 or args[1].type != "alias":
                    continue
                module = "".join(ex.text(args[1]).split())
                kw = args[-1] if args[-1].type == "keywords" else None
                if kw is None:
                    continue
                for pair in kw.named_children:
                    key_node = pair.child_by_field_name("key")
                    key = ex.keyword_name(key_node) if key_node is not None else None
                    value = pair.child_by_field_name("value")
                    if key not in ("http", "https") or value is None:
                        continue
                    where = f"{path}:{ex.line(pair)}"
                    port = _port_of(value, assigned, self.app_settings, self._function_text)
                    if port is None:
                        unresolved.append(f"{module} {key} ({where})")
                        continue
                    fixed, env = port
                    if fixed is not None or env is not None:
                        found.append(Listener(module, key, fixed, env, where))
                    else:
                        portless.append(Listener(module, key, 4000, None, where))
        given = {(item.endpoint, item.scheme) for item in found}
        found += [item for item in portless if (item.endpoint, item.scheme) not in given]
        return found, unresolved

    def _function_text(self, call: str) -> str | None:
        """The text of ``def f`` of the project module ``Mod.f(...)`` names (its last segment
        matched against a ``defmodule`` of the project's code or config), when it is the only
        ``def f`` there with a body of one line: a port a project helper computes
        (sequin's ``ConfigParser.server_port(env_vars)``)."""
        hit = re.match(r"([A-Z][\w.]*)\.([a-z_]\w*[!?]?)\s*\(", call)
        if hit is None:
            return None
        last, name = hit.group(1).rsplit(".", 1)[-1], hit.group(2)
        files = [f for f, _ in self.source_files()] + [f for f, _ in self.config_files]
        for file in files:
            source = re.sub(r"(?m)^\s*#.*$", "", self.read(file) or "")  # no comments
            module = re.search(rf"defmodule\s+(?:[\w.]+\.)?{last}\s+do\b", source)
            if module is None:
                continue
            defs = re.findall(rf"\n\s*defp?\s+{re.escape(name)}\b[^\n]*\n([^\n]*)\n", source)
            heads = re.findall(rf"\n\s*defp?\s+{re.escape(name)}\b", source)
            if len(heads) == 1 and len(defs) == 1:
                return defs[0]
        return None

    def endpoint_modules(self) -> set[str]:
        """Modules prod config configures whose name ends in ``Endpoint``."""
        found: set[str] = set()
        for path, _why in self.config_files:
            source = self.read(path) or ""
            found.update(re.findall(r"config\s*\(?\s*:\w+,\s*([A-Z][\w.]*Endpoint)\b", source))
        return found

    def code_listeners(self) -> list[Listener]:
        """Listeners started in code (Plug.Cowboy, Bandit, cowboy, ranch, gen_tcp): one per
        file, with the ports written near ``port`` there and the env vars the file reads."""
        out: list[Listener] = []
        for file, _app in self.source_files():
            source = self.read(file) or ""
            hit = _LISTENER_CODE.search(source)
            if hit is None and "use Phoenix.Endpoint" in source:
                # Phoenix <= 1.4: `init/2` or `load_from_system_env` reads the port
                envs = set(re.findall(r'get_env\(\s*"([A-Z_]*PORT[A-Z_]*)"', source))
                line = source.count("\n", 0, source.index("use Phoenix.Endpoint")) + 1
                module = re.search(r"defmodule\s+([\w.]+)", source)
                name = module.group(1) if module else "Phoenix.Endpoint"
                for env in sorted(envs):
                    out.append(Listener(name, "endpoint code", None, env, f"{file}:{line}"))
                continue
            if hit is None:
                continue
            line = source.count("\n", 0, hit.start()) + 1
            ports = {int(n) for n in re.findall(r"port[^\n]{0,60}?\b(\d{2,5})\b", source)}
            ports |= {int(n) for n in re.findall(r'"(\d{4,5})"', source)}
            ports |= {int(n) for n in re.findall(r"(?:listen|open)\(\s*(\d{2,5})\b", source)}
            envs = set(re.findall(r'get_env\(\s*"([A-Z_]*PORT[A-Z0-9_]*)"', source))
            what = re.sub(r"[{\s,]", "", hit.group(0))
            where = f"{file}:{line} ({what})"
            kind = "code" if _HTTP_CODE.match(hit.group(0)) else "non-http"
            if not ports and not envs:
                out.append(Listener(what, kind, None, None, where))
            for port in sorted(ports):
                out.append(Listener(what, kind, port, None, where))
            for env in sorted(envs):
                out.append(Listener(what, kind, None, env, where))
        return out

    @cached_property
    def app_settings(self) -> dict[tuple[str, str], int]:
        """(app, key) -> integer of ``config :app, key: N`` in prod config (the last one)."""
        out: dict[tuple[str, str], int] = {}
        for path, _why in self.config_files:
            root = ex.parse(self.read(path) or "", path)
            if root is None:
                continue
            for node, name in ex.calls(root):
                args = ex.call_arguments(node)
                if name != "config" or len(args) != 2 or args[0].type != "atom":
                    continue
                if args[1].type != "keywords":
                    continue
                app = ex.text(args[0])[1:]
                for pair in args[1].named_children:
                    key_node = pair.child_by_field_name("key")
                    value = pair.child_by_field_name("value")
                    key = ex.keyword_name(key_node) if key_node is not None else None
                    if key and value is not None and value.type == "integer":
                        out[(app, key)] = int(ex.text(value).replace("_", ""))
        return out

    def app_ports(self) -> set[int]:
        """Ports an app's own settings give (``config :app, port: N``, ``http_port: N``)."""
        return {v for (_app, key), v in self.app_settings.items() if "port" in key}

    # ---- code ----
    def source_files(self) -> list[tuple[str, MixApp]]:
        """The ``.ex`` files a prod build compiles (an umbrella root compiles nothing unless it
        sets ``elixirc_paths``)."""
        out: list[tuple[str, MixApp]] = []
        for app in self.apps:
            if app.mix.umbrella and app.mix.elixirc_paths is None:
                continue
            for folder in app.mix.elixirc_paths or ("lib",):
                base = normalize(posixpath.join(app.dir, folder))
                if base.startswith(".."):
                    continue
                for file in self.glob(f"{base}/**/*.ex") if self.is_dir(base) else []:
                    out.append((file, app))
        return out

    def code_reads(self) -> list[Read]:
        """Literal file reads in the prod source: at compile time (module bodies, attributes,
        ``@external_resource``, ``EEx.function_from_file``, ``use NimblePublisher, from:``) and
        at boot (relative paths read in function bodies, outside Mix tasks)."""
        reads: list[Read] = []
        for file, app in self.source_files():
            if "/mix/tasks/" in f"/{file}":
                continue
            source = self.read(file) or ""
            if not any(word in source for word in _READ_HINTS):
                continue
            root = ex.parse(source, file)
            if root is None:
                continue
            scope = ex.Scope(posixpath.dirname(file), file)
            for node, name in ex.calls(root):
                found = _code_read(node, name, scope, app.dir)
                if found is None:
                    continue
                path, kind, is_glob = found
                if path.startswith("/"):
                    continue
                reads.append(Read(normalize(path), kind, f"{file}:{ex.line(node)}", is_glob))
        return reads

    def path_dep_reads(self) -> list[Read]:
        """What building an in-project path dependency reads: its mix files and the folders a
        prod compile of it uses (its ``elixirc_paths`` or ``lib``, ``src``, ``include``,
        ``priv``, ``c_src``, ``native``, a Makefile), not its tests or docs."""
        reads: list[Read] = []
        for app in self.apps:
            if app.kind != "path_dep":
                continue
            where = f"{app.dir} (a path dependency)"
            folders = [*(app.mix.elixirc_paths or ("lib",)), "src", "include", "priv"]
            folders += ["c_src", "native", "mix.exs", "mix.lock", "Makefile"]
            for folder in folders:
                path = normalize(posixpath.join(app.dir, folder))
                if self.exists(path):
                    reads.append(Read(path, "path_dep", where))
        return reads

    # ---- package.json and mix aliases ----
    def node_gyp_versions(self, folder: str) -> tuple[str, list[str]] | None:
        """(the lock's path, every node-gyp version it locks) of the JavaScript lock in
        ``folder``; node-sass before 5 stands for the node-gyp 3 it depends on."""
        for name in ("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml"):
            rel = normalize(posixpath.join(folder, name))
            text = self.read(rel)
            if text is None:
                continue
            found = _locked_versions(text, "node-gyp")
            sass = _locked_versions(text, "node-sass")
            if not found and any(re.match(r"[0-4]\.", v) for v in sass):
                found = ["3"]
            return rel, found
        return None

    def package_scripts(self, folder: str) -> dict[str, str] | None:
        source = self.read(posixpath.join(folder, "package.json"))
        if source is None:
            return None
        try:
            data = json.loads(source)
        except ValueError:
            return {}
        scripts = data.get("scripts") if isinstance(data, dict) else None
        if not isinstance(scripts, dict):
            return {}
        return {k: v for k, v in scripts.items() if isinstance(v, str)}

    def mix_aliases(self, folder: str) -> dict[str, tuple[str, ...]] | None:
        for app in self.apps:
            if app.dir == normalize(folder):
                return app.mix.aliases
        return None

    def function_source(self, folder: str, name: str) -> str | None:
        """The source text of ``def[p] name`` in ``folder/mix.exs`` (an alias given as ``&f/1``)."""
        source = self.read(posixpath.join(folder, "mix.exs"))
        if source is None:
            return None
        root = ex.parse(source, "mix.exs")
        if root is None:
            return None
        texts: list[str] = []
        for module in ex.find_modules(root):
            for (fname, _arity), clauses in module.functions.items():
                if fname == name:
                    texts.extend(ex.text(expr) for clause in clauses for expr in clause.body)
        return "\n".join(texts) or None

    # ---- git ----
    def git_ignored(self, paths: Iterable[str]) -> dict[str, str]:
        """path -> the .gitignore rule that ignores it, by git itself (no index, no history)."""
        wanted = sorted({p for p in paths if p and not p.startswith("..")})
        if not wanted:
            return {}
        with tempfile.TemporaryDirectory(prefix="sweep-git-") as tmp:
            env = {**os.environ, "GIT_DIR": tmp, "GIT_WORK_TREE": str(self.root)}
            env.pop("GIT_INDEX_FILE", None)
            subprocess.run(["git", "init", "-q", "--bare", tmp], check=True, env=os.environ)
            queries = []
            for path in wanted:
                queries.append(path)
                if self.is_dir(path):
                    queries.append(path.rstrip("/") + "/")
            result = subprocess.run(
                ["git", "-c", "core.bare=false", "check-ignore", "--no-index", "-v", "--stdin"],
                input="\n".join(queries) + "\n",
                capture_output=True,
                text=True,
                env=env,
                cwd=self.root,
            )
        out: dict[str, str] = {}
        for row in result.stdout.splitlines():
            source, _, path = row.partition("\t")
            if source.rsplit(":", 1)[-1].startswith("!"):
                continue
            out[path.rstrip("/")] = source
        return out


_CONFIG_READERS = {
    "Code.eval_file",
    "Code.require_file",
    "Code.compile_file",
    "File.read!",
    "File.read",
    "Config.Reader.read!",
    "Mix.Config.read!",
    "Mix.Config.eval!",
    "YamlElixir.read_from_file",
    "YamlElixir.read_from_file!",
    "Toml.decode_file!",
    "Toml.decode_file",
}
_FILE_READERS = {
    "File.read!",
    "File.read",
    "File.stream!",
    "File.ls!",
    "Code.eval_file",
    "Code.require_file",
    "YamlElixir.read_from_file",
    "YamlElixir.read_from_file!",
    "Toml.decode_file!",
    "Toml.decode_file",
    "Path.wildcard",
}
_READ_HINTS = ("File.", "@external_resource", "Code.", "EEx.", "NimblePublisher", "Yaml", "Toml")
_HOOK_KEYS = {
    "pre_start_hooks",
    "post_start_hooks",
    "pre_configure_hooks",
    "post_configure_hooks",
    "pre_stop_hooks",
    "post_stop_hooks",
    "pre_upgrade_hooks",
    "post_upgrade_hooks",
}
_FILE_KEYS = {"vm_args", "sys_config", "config"}


def _prod(only: tuple[str, ...] | None) -> bool:
    return only is None or "prod" in only


def _guarded(node: ex.Node) -> bool:
    """Whether a call sits under an ``if``/``cond``/``case`` that checks ``File.exists?``."""
    parent = node.parent
    while parent is not None:
        branch = parent.type == "call" and ex.call_name(parent) in ("if", "unless", "cond", "case")
        if branch and ("File.exists?" in ex.text(parent) or "File.regular?" in ex.text(parent)):
            return True
        parent = parent.parent
    return False


def _inside_environment(node: ex.Node, envs: tuple[str, ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.type == "call" and ex.call_name(parent) == "environment":
            args = ex.call_arguments(parent)
            if args and ex.text(args[0]).lstrip(":") in envs:
                return True
        parent = parent.parent
    return False


def _distillery_paths(key: str, value: ex.Node, scope: ex.Scope) -> list[str]:
    if key in _HOOK_KEYS or key in _FILE_KEYS:
        folded = ex.fold(value, scope)
        return [normalize(folded)] if isinstance(folded, str) and "/" in folded else []
    if key == "commands":
        out = []
        for pair in value.named_children if value.type in ("list", "keywords") else []:
            for inner in ex.walk(pair):
                folded = ex.fold(inner, scope) if inner.type == "string" else None
                if isinstance(folded, str) and "/" in folded:
                    out.append(normalize(folded))
        return out
    if key == "overlays" and value.type == "list":
        out = []
        for item in value.named_children:
            if item.type != "tuple":
                continue
            parts = [c for c in item.named_children if c.type != "comment"]
            if len(parts) >= 2 and ex.text(parts[0]) in (":copy", ":template", ":link"):
                folded = ex.fold(parts[1], scope)
                if isinstance(folded, str) and "{{" not in folded:
                    out.append(normalize(folded))
        return out
    return []


Assignments = dict[str, list[tuple[int, ex.Node]]]


def _assignments(root: ex.Node) -> Assignments:
    """variable -> [(offset, right-hand side)] of every ``name = expr`` in the file."""
    found: Assignments = {}
    for node in ex.walk(root):
        if node.type == "binary_operator" and ex.operator(node) == "=":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and right is not None and left.type == "identifier":
                found.setdefault(ex.text(left), []).append((node.start_byte, right))
    return found


def _value_at(assigned: Assignments | None, name: str, before: int) -> ex.Node | None:
    """The right-hand side of the last ``name = ...`` before offset ``before``."""
    candidates = [n for off, n in (assigned or {}).get(name, []) if off < before]
    return candidates[-1] if candidates else None


_HTTP_CODE = re.compile(r"\{?\s*(?:Plug\.Cowboy|Plug\.Adapters\.Cowboy|Cowboy|Bandit|:cowboy\.)")
_LISTENER_CODE = re.compile(
    r"\{\s*(?:Plug\.Cowboy|Plug\.Adapters\.Cowboy2?|Bandit|ThousandIsland)\s*,"
    r"|\b(?:Plug\.Cowboy|Plug\.Adapters\.Cowboy2?|Cowboy2?)\.(?:http|https|child_spec)\b"
    r"|(?:Bandit|ThousandIsland)\.(?:start_link|child_spec)\b"
    r"|:cowboy\.start_(?:clear|tls|http|https)\b|:ranch\.start_listener\b"
    r"|:gen_tcp\.listen\b|:gen_udp\.open\b"
)


def _port_of(
    value: ex.Node,
    assigned: Assignments | None = None,
    settings: dict[tuple[str, str], int] | None = None,
    functions: Callable[[str], str | None] | None = None,
) -> tuple[int | None, str | None] | None:
    """(fixed port or env default, env var) of an http/https keyword list's ``port:``;
    None when no port can be read. A keyword list without ``port:`` is Phoenix's 4000. The
    options may come from a helper given the port (``https: Helper.opts(..., port: ...)``):
    its ``port:`` argument; a port from a project function of one line
    (``port: Parser.server_port(env)``) is read from that line."""
    if value.type == "call":
        # the options built by a helper: the `port:` it is given, else nothing readable
        given = [a for a in ex.call_arguments(value) if a.type == "keywords"]
        if not given:
            return None
        value = given[-1].parent if given[-1].parent is not None else value
        if value.type != "arguments":
            return None
    elif value.type != "list":
        return None
    port_node = None
    for child in value.named_children:
        if child.type == "keywords":
            for pair in child.named_children:
                key_node = pair.child_by_field_name("key")
                if key_node is not None and ex.keyword_name(key_node) == "port":
                    port_node = pair.child_by_field_name("value")
    if port_node is None:
        return (None, None)  # no port here: another config sets it, or Phoenix's 4000
    at = port_node.start_byte
    if port_node.type == "identifier":
        port_node = _value_at(assigned, ex.text(port_node), at) or port_node
    extra = []
    for n in ex.walk(port_node):
        if n.type == "identifier":
            found = _value_at(assigned, ex.text(n), at)
            if found is not None:
                extra.append(ex.text(found))
    if port_node.type == "call" and functions is not None:
        body = functions(ex.text(port_node))
        if body is not None:
            extra.append(body)
    return _port_expr(port_node, settings or {}, extra)


def _port_expr(
    node: ex.Node, settings: dict[tuple[str, str], int], extra: list[str] | None = None
) -> tuple[int | None, str | None] | None:
    """A port expression's default (a number in it) and env var (a quoted upper-case name,
    or Distillery's ``"${PORT}"``); variables in it are read through their assignments."""
    raw = "\n".join([ex.text(node), *(extra or [])])
    if node.type == "integer":
        return int(ex.text(node).replace("_", "")), None
    names = re.findall(r'"([A-Z][A-Z0-9_]*)"|\$\{([A-Z][A-Z0-9_]*)\}', raw)
    names = [a or b for a, b in names]
    defaults = re.findall(r"""["'](\d{2,5})["']|(?<![\w.])(\d{2,5})(?![\w.])""", raw)
    numbers = [int(a or b) for a, b in defaults]
    for app, key in re.findall(r"Application\.(?:fetch_env!?|get_env)\(\s*:(\w+),\s*:(\w+)", raw):
        if (app, key) in settings:
            numbers.append(settings[(app, key)])
    if names or numbers:
        return (numbers[0] if numbers else None, names[0] if names else None)
    return None


def _code_read(
    node: ex.Node, name: str, scope: ex.Scope, app_dir: str
) -> tuple[str, str, bool] | None:
    """(path, kind, glob) of a literal read, or None."""
    if name == "@external_resource":
        return None
    args = ex.arguments(node)
    if name == "external_resource" and _is_attribute(node):
        value = ex.fold(args[0], scope) if args else None
        if isinstance(value, str):
            return _relative(value, app_dir, scope), "compile", False
        return None
    if name in ("EEx.function_from_file", "EEx.compile_file"):
        index = 2 if name == "EEx.function_from_file" else 0
        value = ex.fold(args[index], scope) if len(args) > index else None
        if isinstance(value, str):
            return _relative(value, app_dir, scope), "compile", False
        return None
    if name == "use" and args and ex.text(args[0]) == "NimblePublisher":
        for arg in args[1:]:
            if arg.type != "keywords":
                continue
            for pair in arg.named_children:
                key_node = pair.child_by_field_name("key")
                value_node = pair.child_by_field_name("value")
                if key_node is None or value_node is None:
                    continue
                value = ex.fold(value_node, scope) if ex.keyword_name(key_node) == "from" else None
                if isinstance(value, str):
                    return _relative(value, app_dir, scope), "compile", True
        return None
    if name not in _FILE_READERS or not args:
        return None
    value = ex.fold(args[0], scope)
    if not isinstance(value, str) or not value:
        return None
    compile_time = not _inside_function(node)
    uses_dir = "__DIR__" in ex.text(args[0]) or "__ENV__" in ex.text(args[0])
    if not compile_time and uses_dir:
        return None  # a build-machine path at run time: not a file the image can provide
    is_glob = name == "Path.wildcard" or any(c in value for c in "*?[")
    kind = "compile" if compile_time else "boot"
    return _relative(value, app_dir, scope), kind, is_glob


def _relative(value: str, app_dir: str, scope: ex.Scope) -> str:
    """A path as the project sees it: relative reads resolve against the app's folder (Mix
    runs each umbrella app in its own folder); ``__DIR__`` paths are already project-relative."""
    if value.startswith("/"):
        return value
    if value.startswith(scope.file_dir + "/") or value == scope.file_dir:
        return value
    return normalize(posixpath.join(app_dir, value))


def _is_attribute(node: ex.Node) -> bool:
    parent = node.parent
    return parent is not None and parent.type == "unary_operator" and ex.operator(parent) == "@"


def _inside_function(node: ex.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.type == "call" and ex.call_name(parent) in (
            "def",
            "defp",
            "defmacro",
            "defmacrop",
        ):
            return True
        if parent.type in ("anonymous_function", "stab_clause"):
            return True
        parent = parent.parent
    return False


def matches_glob(pattern: str, path: str) -> bool:
    """Docker COPY source wildcards: ``*`` and ``?`` never cross ``/``."""
    pat_parts, path_parts = pattern.split("/"), path.split("/")
    if len(path_parts) < len(pat_parts):
        return False
    return all(
        fnmatch.fnmatchcase(piece, pat) for pat, piece in zip(pat_parts, path_parts, strict=False)
    )


def _locked_versions(text: str, name: str) -> list[str]:
    """Every version of ``name`` a JavaScript lock holds: package-lock (``"node_modules/x": {``
    or a v1 ``"x": {`` then its ``"version"``), yarn (``x@range:`` then ``version``), pnpm
    (``/x@1.2.3:`` or ``/x/1.2.3:``)."""
    quoted = re.escape(name)
    found = re.findall(
        rf'"(?:[^"\n]*node_modules/)?{quoted}"\s*:\s*\{{\s*"version"\s*:\s*"([^"]+)"', text
    )
    found += re.findall(rf'^"?{quoted}@[^\n]*:\n\s+version:?\s+"?([^"\s]+)', text, re.M)
    found += re.findall(rf"^\s+'?/{quoted}[@/](\d[^():'\s]*)", text, re.M)
    return found


def _has_else(node: ex.Node) -> bool:
    """Whether an ``if`` call has an ``else`` (a do block's ``else_block``, or ``else:``)."""
    for child in node.named_children:
        if child.type == "do_block" and any(c.type == "else_block" for c in child.named_children):
            return True
    return "else:" in ex.text(node).split("\n", 1)[0]
