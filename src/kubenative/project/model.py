"""The frozen model of an Elixir project, as read from its files."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any, Literal

from kubenative.project.clustering import Clustering
from kubenative.project.commands import Command
from kubenative.project.constraints import Constraint
from kubenative.project.distribution import Distribution
from kubenative.project.endpoints import Endpoint, Port, Socket
from kubenative.project.follow import Setting
from kubenative.project.native import NativeNeeds
from kubenative.project.reads import Write

Pipeline = Literal["npm", "yarn", "pnpm", "bun", "mix"]
ReleaseTool = Literal["mix", "distillery"]
# What a build step runs: Node (npm, yarn, pnpm, bun, node and the packages' programs), Mix
# (mix, elixir, erl), or nothing but a shell (cp, mkdir, rm).
StepTool = Literal["node", "mix", "sh"]


@dataclass(frozen=True)
class App:
    """One Mix application: the project itself, or an umbrella child."""

    name: str
    path: str  # "." for a single app, "apps/web" for an umbrella child
    phoenix: bool
    phoenix_version: str | None = None  # from mix.lock, when locked


@dataclass(frozen=True)
class Step:
    """One step of an asset build, found by following the scripts and aliases that run it
    (``project/steps.py``): a shell command, the folder it runs in and the tool it needs.

    ``needs``: ``"compiled"`` for a Node step that comes after a Mix step whose output it may
    read (it runs after ``mix compile``, with the Mix stage's files); ``"node_modules"`` for a
    Mix step that reads the installed packages (esbuild resolving imports, a Mix task a
    package.json script runs). ``bin_path``: a piece of a package.json script, which runs with
    the packages' programs on PATH as the package manager runs it. ``direct``: a Mix task that
    its own alias shadows (``release: ["cmd npm ...", "release"]``): it is run past the alias,
    whose other entries are steps of their own."""

    command: str
    cwd: str  # relative to the project root ("." for the root)
    tool: StepTool
    origin: str  # what runs it: "mix.exs alias `assets.deploy`", "assets/package.json `deploy`"
    needs: tuple[str, ...] = ()
    bin_path: bool = False
    direct: bool = False
    # The Mix tasks it runs, as its alias names them (``esbuild default --minify``), also
    # those inside a Mix alias that runs as a whole (``mix assets.deploy``).
    tasks: tuple[str, ...] = ()

    def run_from(self, folder: str) -> str:
        """The command as run from ``folder`` (a stage's WORKDIR, relative to the root)."""
        if self.cwd == folder:
            return self.command
        return f"cd {posixpath.relpath(self.cwd, folder)} && {self.command}"

    def to_json(self) -> dict[str, Any]:
        return {"command": self.command, "cwd": self.cwd, "tool": self.tool, "needs": [*self.needs]}


@dataclass(frozen=True)
class Assets:
    """How one web app builds its static assets (read by ``project/assets.py``)."""

    app: str
    path: str  # the pipeline's root (where package.json is), relative to the project root
    pipeline: Pipeline | None  # the package manager of a Node build, "mix" when Mix drives it
    lockfile: str | None = None  # file name inside `path`
    script: str | None = None  # the first package.json script the build runs
    deps_refs: tuple[str, ...] = ()  # Mix deps that the Node build reads from the deps folder
    output: str | None = None  # where the built files land (the app's priv/static)
    native_modules: bool = False  # the lock has node-gyp: installing compiles C/C++
    # The oldest node-gyp the lock holds and its file:line (node-sass 3/4 bring 3.x)
    node_gyp: tuple[str, str] | None = None
    alias: str | None = None  # the Mix alias that builds for production (assets.deploy)
    mix_steps: tuple[str, ...] = ()  # the alias's Mix tasks, in order (esbuild, phx.digest...)
    commands: tuple[str, ...] = ()  # the Node commands the build runs, in order, in `path`
    scripts: tuple[str, ...] = ()  # the package.json scripts among them
    manager: str | None = None  # package.json `packageManager`, e.g. "pnpm@8.15.4"
    yarn_berry: bool = False  # yarn 2+ (a `__metadata:` lock), not classic yarn 1
    # The package manager's own files the install reads, inside `path` (.yarnrc.yml, ...)
    install_files: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()  # paths outside `path` that its configs read (lib, ...)
    outputs: tuple[str, ...] = ()  # every folder the Node build writes (priv/static)
    tools: tuple[str, ...] = ()  # Mix packages that download a binary (esbuild, tailwind)
    manifest: str | None = None  # the prod config file that expects a cache manifest
    # (tool, env var) for each tool whose `path` the config sets: "" for a fixed path, else the
    # variable it is read from (`path: System.get_env("MIX_ESBUILD_PATH")`)
    tool_paths: tuple[tuple[str, str], ...] = ()
    # Every step of the build in order, each with its tool (commands and mix_steps are the
    # Node and Mix views of it); the planners place each where its tool is.
    steps: tuple[Step, ...] = ()

    @property
    def digests(self) -> bool:
        """The alias itself digests (``phx.digest``), writing the cache manifest."""
        return any(
            step.strip().lstrip("\"'").split(" ", 1)[0] in ("phx.digest", "phoenix.digest")
            for step in self.mix_steps
        )

    @property
    def node(self) -> bool:
        """A Node stage is needed: a Node build, or packages (node_modules) a Mix build reads."""
        # The bun Mix package installs packages itself (`mix bun assets install`).
        return self.pipeline in ("npm", "yarn", "pnpm", "bun") or (
            self.pipeline == "mix" and self.lockfile is not None and "bun" not in self.tools
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "app": self.app,
            "path": self.path,
            "pipeline": self.pipeline,
            "lockfile": self.lockfile,
            "manager": self.manager,
            "yarn_berry": self.yarn_berry,
            "install_files": list(self.install_files),
            "alias": self.alias,
            "mix_steps": list(self.mix_steps),
            "commands": list(self.commands),
            "reads": list(self.reads),
            "deps_refs": list(self.deps_refs),
            "outputs": list(self.outputs or ((self.output,) if self.output else ())),
            "tools": list(self.tools),
            "tool_paths": dict(self.tool_paths),
            "manifest": self.manifest,
            "digests": self.digests,
            "steps": [step.to_json() for step in self.steps],
        }


@dataclass(frozen=True)
class NativeDep:
    """A locked dependency that needs a C/Rust toolchain or system libraries."""

    name: str
    needs: NativeNeeds

    @property
    def reason(self) -> str:
        return self.needs.reason


@dataclass(frozen=True)
class Release:
    name: str
    applications: tuple[str, ...] = ()
    include_erts: bool = True  # False: the release runs the Erlang/OTP of the image it is on
    templates: str = "rel"  # `rel_templates_path`: its overlays/ is copied into the release
    overlays: tuple[str, ...] = ()  # `overlays:` folders copied into the release as they are
    environment: str = "prod"  # the Distillery environment built (`--env=`)


@dataclass(frozen=True)
class ConfigSecret:
    """A config file Mix evaluates at build time that git does not hold: an imported
    ``*.secret.exs`` that is ignored or absent, or any imported file .gitignore excludes
    (``prod.secret.exs`` of Phoenix <= 1.5). The build mounts it as a BuildKit secret."""

    path: str  # relative to the project (to the app's folder in a poncho)
    imported_by: str  # ``config/prod.exs:5``
    required: bool  # an unconditional import: Mix stops without the file
    present: bool  # the file is on this machine (then it is gitignored)
    # Environment variables its local copy requires (`System.get_env("X") || raise`, as the
    # prod.secret.exs of Phoenix 1.5 does): unset in the build, so Mix stops there.
    requires: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """The secret's id: ``config/prod.secret.exs`` → ``config_prod_secret_exs``."""
        return "".join(c if c.isalnum() else "_" for c in self.path)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "id": self.id,
            "imported_by": self.imported_by,
            "required": self.required,
            "present": self.present,
            "requires": list(self.requires),
        }


@dataclass(frozen=True)
class EnvVar:
    """An environment variable the release reads at boot (``source`` is ``file:line``)."""

    name: str
    default: str | None
    required: bool
    secret: bool
    source: str

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "default": self.default,
            "required": self.required,
            "secret": self.secret,
            "source": self.source,
        }


@dataclass(frozen=True)
class Project:
    root: str
    name: str
    umbrella: bool
    apps: tuple[App, ...]
    release_tool: ReleaseTool | None
    releases: tuple[Release, ...]
    assets: tuple[Assets, ...]
    native_deps: tuple[NativeDep, ...]
    git_deps: tuple[str, ...]
    hex_deps: bool  # any Hex package locked or declared: the builder needs Hex and rebar
    hex_organizations: tuple[str, ...]
    database: str | None
    port: int
    has_lock: bool
    distillery_version: str | None
    # Files the Dockerfile copies, all relative to the root and sorted.
    mix_files: tuple[str, ...]  # the root mix.exs and every umbrella app's mix.exs
    compile_config: tuple[str, ...]  # compile-time config read before deps.compile
    late_config: tuple[str, ...]  # config read at boot (runtime.exs, releases.exs)
    source_dirs: tuple[str, ...]  # top-level directories the release is compiled from
    has_rel_dir: bool
    port_env: str | None = None  # the environment variable config reads the port from
    http_server: bool = True  # False: nothing listens (no endpoint, HTTP server or port)
    endpoints: tuple[Endpoint, ...] = ()
    serve_endpoints: bool = False  # `config :phoenix, :serve_endpoints, true`
    # Every HTTP port config sets (each endpoint's http/https, or an app-level port), the one
    # `port`/`port_env` describe first; and the listeners that are not HTTP.
    ports: tuple[Port, ...] = ()
    other_listeners: tuple[Socket, ...] = ()
    # HTTP servers that start only when their port is set (port, where that is decided):
    # listed, never exposed or given a number
    optional_listeners: tuple[tuple[Port, str], ...] = ()
    # HTTP listeners whose port cannot be read, "file:line (what)": with no port read at all,
    # the image's 4000/PORT is a guess, warned about with these named
    unread_ports: tuple[str, ...] = ()
    # A poncho app (--app): its folder in the Docker context (the poncho root), and each path
    # dependency as (folder in the context, folder in the image).
    context_app: str = "."
    path_deps: tuple[tuple[str, str], ...] = ()
    # The project's own start script in rel/overlays/bin/ (a name in the release's bin/).
    start_script: str | None = None
    commands: tuple[Command, ...] = ()  # programs the application runs (System.cmd, ...)
    # Every .gitignore: (folder relative to the root, "." for the top; its lines), sorted.
    gitignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # What the files say about the Elixir, OTP, OS and Node to build with, each with its
    # file:line (project/constraints.py); kubenative.plan.versions solves them.
    constraints: tuple[Constraint, ...] = ()
    # Files (folders end in "/") the project reads, derived from its code (project/copies.py).
    mix_reads: tuple[str, ...] = ()  # read by the mix files: copied with them
    compile_reads: tuple[str, ...] = ()  # read by module bodies: copied before mix compile
    boot_reads: tuple[str, ...] = ()  # read by relative path at boot: copied into the runtime
    # named by the release configuration outside rel/ (Distillery hooks, overlays, vm.args;
    # mix releases' overlays): copied right before the release step
    release_reads: tuple[str, ...] = ()
    boot_writes: tuple[Write, ...] = ()  # written at boot (function bodies): k8s volumes
    # `*.secret.exs` files config imports that git tracks: source, so copied (never ignored).
    tracked_secrets: tuple[str, ...] = ()
    # Environment variables the mix files read (System.get_env in mix.exs): build arguments.
    mix_env: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)
    # What the release does at boot and serves (read by kubenative.project.boot).
    env: tuple[EnvVar, ...] = ()
    health_path: str | None = None  # a health route found in a router
    health_endpoint: str | None = None  # the endpoint module that plugs that router
    ecto_repos: tuple[str, ...] = ()  # from `config :app, ecto_repos: [...]`
    ecto_app: str | None = None  # the app whose config names the repos
    release_module: str | None = None  # a module under lib/ with `def migrate` (arity 0)
    migrate_script: str | None = None  # rel/overlays/bin/migrate: its name in the release's bin/
    migrate_eval: tuple[str, str] | None = None  # a Procfile `release:` eval: (expression, where)
    url_host: Setting | None = None  # the first endpoint's `url: [host: ...]` (the last one set)
    url_host_vars: tuple[str, ...] = ()  # every endpoint's URL host variable
    release_commands: tuple[str, ...] = ()  # Distillery's `set commands: [name: script]`
    hex_repos: tuple[str, ...] = ()  # self-hosted Hex repositories (not hexpm or an organisation)
    # How the nodes find each other (project/clustering.py) and how the release names its node,
    # gets its cookie and listens (project/distribution.py).
    clustering: Clustering = field(default_factory=Clustering)
    distribution: Distribution = field(default_factory=Distribution)
    # Imported config git does not hold, mounted as build secrets (see ConfigSecret).
    config_secrets: tuple[ConfigSecret, ...] = ()
    # What stops `init` (and the build): inspect lists them, init refuses while there are any.
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def layout(self) -> str:
        if self.context_app != ".":
            return "poncho"
        return "umbrella" if self.umbrella else "single"

    @property
    def web_apps(self) -> tuple[App, ...]:
        return tuple(app for app in self.apps if app.phoenix)

    def to_json(self) -> dict[str, Any]:
        """The `inspect --json` object: stable keys, plain values."""
        return {
            "name": self.name,
            "umbrella": self.umbrella,
            "apps": [{"name": a.name, "path": a.path, "phoenix": a.phoenix} for a in self.apps],
            "release_tool": self.release_tool,
            "releases": [r.name for r in self.releases],
            "start_script": self.start_script,
            "layout": self.layout,
            "path_deps": [folder for folder, _ in self.path_deps],
            "commands": sorted({c.name for c in self.commands if c.name and c.stage == "run"}),
            # run by module bodies while `mix compile` evaluates them: the builder's
            "compile_commands": sorted(
                {c.name for c in self.commands if c.name and c.stage == "compile"}
            ),
            "assets": [a.to_json() for a in self.assets],
            "native_deps": [d.name for d in self.native_deps],
            "git_deps": list(self.git_deps),
            "hex_organizations": list(self.hex_organizations),
            "hex_repos": list(self.hex_repos),
            "database": self.database,
            "port": self.port if self.http_server else None,
            "port_env": self.port_env,
            "endpoints": [
                {"module": e.module, "server": e.server, "server_env": list(e.server_env)}
                for e in self.endpoints
            ],
            "ports": [p.to_json() for p in self.ports],
            "other_listeners": [s.to_json() for s in self.other_listeners],
            "optional_listeners": [
                {**port.to_json(), "only_when_set": where}
                for port, where in self.optional_listeners
            ],
            "mix_lock": self.has_lock,
            "source_dirs": list(self.source_dirs),
            "reads": {
                "mix": list(self.mix_reads),
                "config": list(self.compile_config),
                "compile": list(self.compile_reads),
                "boot": list(self.boot_reads),
                "release": list(self.release_reads),
            },
            "tracked_secrets": list(self.tracked_secrets),
            "config_secrets": [secret.to_json() for secret in self.config_secrets],
            "mix_env": list(self.mix_env),
            "warnings": list(self.warnings),
            "problems": list(self.problems),
            "env": [var.to_json() for var in self.env],
            "clustering": self.clustering.to_json(),
            "distribution": self.distribution.to_json(),
        }
