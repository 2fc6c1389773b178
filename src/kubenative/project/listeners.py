"""Where the release listens: the endpoints' ports, the HTTP servers and other listeners the
code starts, and whether anything serves HTTP at all."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kubenative.project import endpoints, sockets
from kubenative.project.mix_exs import Dep
from kubenative.project.model import App
from kubenative.project.reading import ex_files, read_text


def read_listener(
    root: Path,
    compile_config: tuple[str, ...],
    late_config: tuple[str, ...],
    apps: tuple[App, ...],
    deps: list[Dep],
    warnings: list[str],
) -> tuple[endpoints.Listener, bool]:
    """Where the release listens (``kubenative.project.endpoints``), and whether anything does:
    a release without an endpoint, a web framework, an HTTP server dependency or a port
    setting has no listener."""
    first = [rel for rel in compile_config if rel.endswith("config/config.exs")]
    order = [*first, *[rel for rel in compile_config if rel not in first], *late_config]
    sources = [
        rel
        for app in apps
        for rel in ex_files(root, "lib" if app.path == "." else f"{app.path}/lib")
    ]
    text_of = lambda p: read_text(p, root)  # noqa: E731
    found = endpoints.read(root, order, text_of, late_config, sources)
    warnings.extend(found.warnings)
    for endpoint in found.endpoints:
        if endpoint.server == "off":
            warnings.append(
                f"{endpoint.where}: {endpoint.module} has `server: false` in prod: it will not "
                "serve HTTP (kubenative keeps an explicit setting)"
            )
    app_of = {
        rel: app.name
        for app in apps
        for rel in sources
        if app.path == "." or rel.startswith(f"{app.path}/")
    }
    others = sockets.read(root, sources, order, text_of, lambda rel: app_of.get(rel, ""))
    # HTTP servers the code starts (Plug.Cowboy, Bandit, :inets) whose port can be read: beside
    # the endpoints' ports, or instead of an app-level `port:` setting when there is none.
    # One that starts only when its port is set (bob's metrics server, BOB_METRICS_PORT) is
    # in others.optional instead: listed, never exposed (see kubenative.project.sockets).
    code = [p for p in others.http if p.port is not None or p.env is not None]
    configured = [p for p in found.ports if p.endpoint]
    # An app-level `config :app, port: N` that a non-HTTP listener reads is that listener's.
    app_level = [p for p in found.ports if not p.endpoint and (p.app, "port") not in others.claimed]
    ports = endpoints.unique_names([*configured, *code] if configured else code or app_level)
    if not configured:
        lead = ports[0] if ports else None
        found = replace(
            found,
            port=lead.port if lead else None,
            port_env=lead.env if lead else None,
        )
    optional = (*found.optional, *others.optional)  # endpoints', then servers' in code
    found = replace(
        found,
        ports=ports,
        others=others.sockets,
        optional=optional,
        unread=_unread(found, others, optional),
    )
    prod_deps = {d.name for d in deps if d.in_prod}
    http = bool(
        found.endpoints
        or any(a.phoenix for a in apps)
        or prod_deps & endpoints.HTTP_SERVERS
        or others.http
        or (bool(ports) and not found.endpoints)
    )
    return found, http


def _unread(
    found: endpoints.Listener,
    others: sockets.Found,
    optional: tuple[tuple[endpoints.Port, str], ...],
) -> tuple[str, ...]:
    """The HTTP listeners whose port cannot be read, each as "file:line (what)": an endpoint
    that serves (or may) with no http/https setting kubenative can read (its config built at
    run time, `[{:url, ...}, {protocol, args}]`, or none at all: then Phoenix starts no
    listener), and a server the code starts with a port it cannot follow. The image guesses
    for them (``kubenative.plan.runtime.listening_ports``), with one warning that names them."""
    read = {p.endpoint for p in found.ports} | {p.endpoint for p, _ in optional}
    unread = [
        f"{e.config} ({e.module}: no http/https setting kubenative can read)"
        for e in found.endpoints
        if e.server != "off" and e.module not in read and e.config
    ]
    unread += [
        f"{p.where} ({p.endpoint}: a port kubenative cannot follow)"
        for p in others.http
        if p.port is None and p.env is None
    ]
    return tuple(unread)
