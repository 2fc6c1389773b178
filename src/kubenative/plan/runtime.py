"""The `slim` runtime stage: the release on the bare OS, its environment, how it starts, and
the programs and files it needs at run time."""

from __future__ import annotations

from dataclasses import replace

from kubenative.catalog import distros
from kubenative.catalog.distros import OsFamily
from kubenative.errors import UserError
from kubenative.plan.minimal import APPLETS
from kubenative.plan.model import APP_DIR, Instruction, Stage, grouped_copies
from kubenative.plan.os import create_user, install, revision
from kubenative.project import commands
from kubenative.project.endpoints import Port, Socket
from kubenative.project.model import Project
from kubenative.project.native import NativeNeeds


def runtime_stage(
    project: Project,
    family: OsFamily,
    os_release: str,
    release: str,
    ports: tuple[Port, ...],
    user_id: int,
    natives: tuple[NativeNeeds, ...],
    tools: tuple[str, ...],
    sockets: tuple[Socket, ...] = (),
    libssl: str | None = None,
) -> Stage:
    packages = [*runtime_packages(family, os_release, natives, libssl), *tools]
    user = create_user(family, user_id)
    owner = f"{user_id}:{user_id}"
    steps = (
        Instruction(
            "RUN",
            install(family, packages),
            comment="Only the shared libraries the release links against"
            + (f", and the programs it runs ({', '.join(tools)})" if tools else ""),
        ),
        Instruction(
            "RUN",
            (*user, f"install -d -o {user_id} -g {user_id} {APP_DIR}"),
            comment=f"An unprivileged user ({user_id}) that owns the release",
        ),
        Instruction("WORKDIR", (APP_DIR,)),
        runtime_env(project, ports),
        Instruction(
            "COPY",
            (f"{APP_DIR}/_build/prod/rel/{release}", "./"),
            ("--from=releaser", f"--chown={owner}"),
        ),
        Instruction("USER", (owner,)),
        *expose(ports, sockets),
        *start_commands(project, release),
        *revision(),
    )
    return Stage(
        "runtime", "${RUNTIME_IMAGE}", "The release on the bare OS, as a non-root user", steps
    )


def runtime_tools(
    project: Project, family: OsFamily, runtime: str, warnings: list[str]
) -> tuple[str, ...]:
    """The packages that provide the programs the application runs (``project.commands``,
    table in ``kubenative.project.commands``). The minimal runtime has busybox and nothing
    else, so it refuses a program busybox does not provide. A program a module body runs
    while it compiles is the builder's (``compile_tools``), never the runtime's."""
    packages: set[str] = set()
    for command in project.commands:
        if command.stage == "compile":
            continue
        if command.name is None:
            warnings.append(
                f"{command.where}: {command.call} runs a program named at run time; kubenative "
                "cannot tell which, so the image may lack it (install it with your own "
                "--runtime-image)"
            )
            continue
        if runtime == "minimal":
            if command.name not in APPLETS:
                raise UserError(
                    f"{command.where}: {command.call} runs `{command.name}`, which --runtime "
                    "minimal cannot carry (it ships busybox only); use --runtime slim, which "
                    "installs it"
                )
            continue
        package = commands.package(command.name, family)
        if package is not None:
            packages.add(package)
        elif not commands.known(command.name):
            warnings.append(
                f"{command.where}: {command.call} runs `{command.name}`, which kubenative does "
                "not know a package for; install it with your own --runtime-image"
            )
        elif command.name not in commands.BASE and commands.package(command.name, "debian"):
            warnings.append(
                f"{command.where}: {command.call} runs `{command.name}`, which {family} has "
                "no package for; install it with your own --runtime-image"
            )
    return tuple(sorted(packages))


# The port of a web app whose endpoint config names none (Phoenix's own default), read from PORT.
DEFAULT_PORT = 4000


def listening_ports(project: Project, port: int | None, warnings: list[str]) -> tuple[Port, ...]:
    """Every HTTP port the image listens on, each with a number: the ports config sets
    (``project.ports``), or, for a web app whose config names none, ``project.port`` (4000)
    from PORT. ``port`` (``--port``) gives the first one's number when config reads it from a
    variable or in a way kubenative cannot follow; a port config fixes cannot move, so a
    different ``--port`` is a warning. A port read from a variable without a default gets the
    first free number from 4000 up (the image sets the variable to it); one kubenative cannot
    read at all gets one too, with a warning."""
    if not project.http_server:
        return ()
    found = list(project.ports)
    if not found:
        app = project.web_apps[0].name if project.web_apps else project.name
        endpoint = project.endpoints[0].module if project.endpoints else ""
        found = [Port(app, endpoint, "http", project.port, project.port_env or "PORT", "")]
        if port is None and project.unread_ports and project.port_env is None:
            warnings.append(_guessed_port(project.unread_ports, project.port))
    first = found[0]
    if port is not None and port != first.port:
        if first.env is None and first.port is not None:
            warnings.append(
                f"--port {port} is ignored: {first.where} fixes {first.endpoint or first.app}'s "
                f"{first.scheme} port to {first.port} (read it from a variable in "
                "config/runtime.exs to choose it at boot)"
            )
        else:
            found[0] = replace(first, port=port)
    taken = {item.port for item in found if item.port is not None}
    by_env = {item.env: item.port for item in found if item.env and item.port is not None}
    numbered: list[Port] = []
    for item in found:
        if item.port is None:
            number = by_env.get(item.env) if item.env else None
            if number is None:
                number = next(n for n in range(DEFAULT_PORT, 65536) if n not in taken)
                taken.add(number)
                if item.env:
                    by_env[item.env] = number
                else:
                    also = project.unread_ports if not numbered else ()
                    warnings.append(_unread_port(item, number, not numbered, also))
                    if not numbered and "PORT" not in by_env:
                        # the safe guess: many helpers fall back to PORT (sequin's
                        # ConfigParser.server_port reads SERVER_PORT, then PORT)
                        item = replace(item, env="PORT")
                        by_env["PORT"] = number
            item = replace(item, port=number)
        numbered.append(item)
    for item in numbered:
        if item.port is not None and item.port < 1024:
            warnings.append(_low_port(item))
    return tuple(numbered)


def _guessed_port(unread: tuple[str, ...], number: int) -> str:
    """No port read at all, and listeners whose port kubenative cannot read: the image's
    port is a guess, said once with where to look."""
    return (
        f"{'; '.join(unread)}: kubenative cannot read the port the release listens on: the "
        f"image exposes {number} and sets PORT={number} (Phoenix's default, which many "
        "helpers fall back to); pass --port with the port it listens on"
    )


def _low_port(item: Port) -> str:
    """Ports below 1024 are privileged; the image runs as an unprivileged user."""
    return (
        f"{item.where or 'config'}: {item.endpoint or item.app} listens on {item.port} "
        f"({item.scheme}), below 1024, as an unprivileged user: it binds only where the "
        "kernel setting net.ipv4.ip_unprivileged_port_start is 0 (Docker sets it in each "
        "container; on Kubernetes add it to the pod's securityContext.sysctls if the runtime "
        "does not), else listen on a port above 1023 and map it in the Service"
    )


def _unread_port(item: Port, number: int, first: bool, also: tuple[str, ...] = ()) -> str:
    """One port that cannot be read; the first one's warning also names the listeners whose
    config gives no port to read at all (firezone's ``public_http ++ [...]``), so one warning
    says everything ``--port`` stands in for."""
    fix = (
        f"it also sets PORT={number}, which many helpers fall back to; pass --port with the "
        "port it listens on"
        if first
        else "read it from a variable in config/runtime.exs so the image can set it"
    )
    more = f" (nor could it read these: {'; '.join(also)})" if also else ""
    return (
        f"{item.where}: the {item.scheme} port of {item.endpoint or item.app} is an expression "
        "kubenative cannot read (not a number, nor a variable read it can follow): the image "
        f"exposes {number} for it; {fix}{more}"
    )


def compile_tools(project: Project, family: OsFamily) -> tuple[str, ...]:
    """The packages of the programs module bodies run while `mix compile` evaluates them
    (``@schema System.cmd("protoc", ...)``): they belong in the builder, where the releaser
    compiles, never in the runtime. Not git: it would read a history the build context never
    holds (``.git`` is ignored), which ``kubenative.project.reads`` warns about instead."""
    found = {
        commands.package(c.name, family)
        for c in project.commands
        if c.stage == "compile" and c.name is not None and c.name != "git"
    }
    return tuple(sorted(p for p in found if p is not None))


def runtime_packages(
    family: OsFamily,
    os_release: str,
    natives: tuple[NativeNeeds, ...],
    libssl: str | None = None,
) -> tuple[str, ...]:
    """The OS's runtime libraries for an OTP release (``libssl``: the OpenSSL package OTP's
    crypto was built against, when the builder says), and those of the native deps."""
    packages = list(distros.runtime_packages(family, os_release, libssl))
    for needs in natives:
        packages.extend(needs.runtime.get(family, ()))
    return tuple(packages)


def runtime_env(project: Project, ports: tuple[Port, ...]) -> Instruction:
    """The runtime's environment. Each port read from a variable gets its number in that
    variable (PORT for a web app whose config names no port); a port config fixes needs none,
    and a release that listens nowhere gets no port. Endpoints are made
    to serve without editing the project (see ``kubenative.project.endpoints``): a variable that
    guards `server: true` is set, and an endpoint with no `server:` setting at all gets the
    `:phoenix` application's `serve_endpoints` setting from the VM's command line (ERL_AFLAGS
    is read by every `erl` the release starts; a user's own ERL_AFLAGS at `docker run`
    replaces it)."""
    env = ["LANG=C.UTF-8", f"HOME={APP_DIR}"]
    variables: dict[str, int] = {}
    for item in ports:
        if item.env and item.port is not None:
            variables.setdefault(item.env, item.port)
    env.extend(f"{name}={number}" for name, number in variables.items())
    # RELEASE_* are set by the release's own script (Phoenix 1.6's runtime.exs checks
    # `System.get_env("PHX_SERVER") && System.get_env("RELEASE_NAME")`): never overwritten.
    guards = {
        name
        for e in project.endpoints
        if e.server == "env"
        for name in e.server_env
        if not name.startswith("RELEASE_")
    }
    if project.web_apps:
        guards.add("PHX_SERVER")  # Phoenix's own convention (phx.gen.release's bin/server)
    env.extend(f"{name}=true" for name in sorted(guards))
    if project.release_tool == "distillery":
        env.append("REPLACE_OS_VARS=true")
    unset = _not_serving(project)
    if not unset:
        return Instruction("ENV", tuple(env))
    env.append('ERL_AFLAGS="-phoenix serve_endpoints true"')
    return Instruction(
        "ENV",
        tuple(env),
        comment=f"{unset} has no `server:` setting in prod config, so Phoenix would not serve "
        "it: the VM starts with the :phoenix app's serve_endpoints setting on",
    )


def expose(ports: tuple[Port, ...], sockets: tuple[Socket, ...] = ()) -> tuple[Instruction, ...]:
    """One EXPOSE of every port the image listens on (none when nothing listens): the HTTP
    ports, and the non-HTTP listeners ``exposed_sockets`` picked (``/udp`` for UDP)."""
    numbers = [str(item.port) for item in ports if item.port is not None]
    numbers += [
        f"{s.port}/udp" if s.transport == "udp" else str(s.port)
        for s in sockets
        if s.port is not None
    ]
    unique = tuple(dict.fromkeys(numbers))
    return (Instruction("EXPOSE", unique),) if unique else ()


def exposed_sockets(project: Project, warnings: list[str]) -> tuple[Socket, ...]:
    """The non-HTTP listeners the image exposes: none while the release serves HTTP (the HTTP
    port is what the image, its probes and its Service are for; a second protocol is the
    user's call), else each one that binds an outside address on a known port (it is what the
    release is for: a syslog receiver, a device gateway). A loopback listener serves only the
    container; it is never exposed and needs no word. None is ever PORT."""
    external = [s for s in project.other_listeners if not s.loopback]
    if project.http_server:
        for s in external:
            port = s.port if s.port is not None else f"the port in {s.env}" if s.env else "a port"
            warnings.append(
                f"{s.where}: {s.via} listens on {s.transport.upper()} {port} beside HTTP: the "
                "image exposes only the HTTP port(s); if clients outside the pod use it, add "
                "it to EXPOSE and to the Deployment's ports yourself"
            )
        return ()
    for s in external:
        if s.port is None:
            warnings.append(
                f"{s.where}: {s.via} listens on a port kubenative cannot read"
                + (f" ({s.env} has no default)" if s.env else "")
                + ": the image exposes nothing for it; add EXPOSE yourself"
            )
    return tuple(s for s in external if s.port is not None)


def _not_serving(project: Project) -> str:
    """The endpoints that would not start their HTTP server, named for a comment; "" when
    every endpoint serves (a web app whose endpoint config cannot be found counts as one)."""
    if project.serve_endpoints:
        return ""
    names = [e.module for e in project.endpoints if e.server == "unset"]
    if not project.endpoints and project.web_apps:
        names = [f"the endpoint of {app.name}" for app in project.web_apps]
    return ", ".join(names)


def start_commands(project: Project, release: str) -> tuple[Instruction, ...]:
    """How the container starts the release: the project's own start script when it ships one
    in rel/overlays/bin/ (it may set variables, e.g. PHX_SERVER, before starting), else the
    release script with `start` (Mix) or `foreground` (Distillery: `start` would daemonize)."""
    if project.start_script and project.release_tool == "mix":
        templates = next((r.templates for r in project.releases if r.name == release), "rel")
        return (
            Instruction(
                "CMD",
                (f"{APP_DIR}/bin/{project.start_script}",),
                comment=f"The project's own start script ({templates}/overlays/bin/"
                f"{project.start_script})"
                f"; other commands: /app/bin/{release} eval|remote|rpc",
            ),
        )
    command = "foreground" if project.release_tool == "distillery" else "start"
    return (
        Instruction("ENTRYPOINT", (f"{APP_DIR}/bin/{release}",)),
        Instruction("CMD", (command,)),
    )


def with_boot_files(stage: Stage, paths: tuple[str, ...], user_id: int) -> Stage:
    """The runtime stage with the files the release reads by relative path at boot, copied
    where it looks for them: its working directory, /app, stands for the project root. They
    come before the release, so a code change leaves their layers cached."""
    owner = f"{user_id}:{user_id}"
    copies = grouped_copies(
        paths,
        (f"--chown={owner}",),
        comment="Files the release reads at boot by a path relative to its folder",
    )
    steps = list(stage.steps)
    at = next(
        i for i, step in enumerate(steps) if step.op == "COPY" and "--from=releaser" in step.flags
    )
    release = steps[at]
    if not release.comment:  # keep the release apart from the boot files' group
        steps[at] = replace(release, comment="The release")
    return Stage(stage.name, stage.base, stage.comment, (*steps[:at], *copies, *steps[at:]))
