"""``kubenative inspect``'s text report: one line a fact, each in a few words."""

from __future__ import annotations

from typing import Any

from kubenative import app
from kubenative.project.model import Assets, Project


def _describe_assets(item: Assets) -> str:
    """``assets (npm: npm run deploy [node], mix phx.digest [mix]; reads lib)``: each step in
    order with the tool it needs (a step in another folder than the pipeline's says so)."""
    steps = [
        f"{s.run_from(item.path) if s.tool == 'node' else s.command} [{s.tool}"
        + (f", in {s.cwd}" if s.tool != "node" and s.cwd not in (".", item.path) else "")
        + "]"
        for s in item.steps
    ] or [*item.commands, *(f"mix {step.split()[0]}" for step in item.mix_steps if step)]
    text = f"{item.path} ({item.pipeline or 'no pipeline'}"
    if steps:
        text += ": " + ", ".join(steps)
    if item.reads:
        text += "; reads " + ", ".join(item.reads)
    return text + ")"


def describe(inspected: app.Inspected) -> str:
    project, chosen = inspected.project, inspected.versions

    def version(v: Any) -> str:
        return str(v.describe()) if v else "-"

    kind = f"umbrella, {len(project.apps)} apps" if project.umbrella else "single app"
    if project.layout == "poncho":
        deps = ", ".join(folder for folder, _ in project.path_deps) or "no path deps"
        kind = f"poncho app {project.context_app}, path deps: {deps}"
    apps = ", ".join(f"{a.name} ({a.path}{', phoenix' if a.phoenix else ''})" for a in project.apps)
    assets = "; ".join(_describe_assets(a) for a in project.assets)
    rows = [
        ("apps", apps),
        (
            "releases",
            ", ".join(r.name for r in project.releases) + f" ({project.release_tool})"
            if project.releases
            else "none yet (`kubenative init` names the `releases:` entry to add)",
        ),
        ("assets", assets or "-"),
        ("elixir", version(chosen.elixir) if chosen else "- (see the problems below)"),
        ("otp", version(chosen.otp) if chosen else "-"),
        (
            "os",
            f"{chosen.family} {chosen.os_release}: {chosen.builder} ({chosen.rule})"
            if chosen
            else "-",
        ),
        ("node", version(chosen.node) if chosen else "-"),
        ("native deps", ", ".join(d.name for d in project.native_deps) or "-"),
        ("git deps", ", ".join(project.git_deps) or "-"),
        ("database", project.database or "-"),
        ("port", _listening(project)),
        ("not http", _other_listeners(project)),
        ("optional", _optional_listeners(project)),
        ("endpoints", ", ".join(f"{e.module} ({e.server})" for e in project.endpoints) or "-"),
        ("programs", _programs(project)),
        ("env", _env_summary(project)),
        ("clustering", _clustering_summary(project)),
        ("reads", _reads_summary(project)),
        ("secrets", _secrets_summary(project)),
        ("problems", _problems_summary(inspected.problems)),
    ]
    return "\n".join([f"{project.name} ({kind})", *(f"  {k + ':':13}{v}" for k, v in rows)])


def _clustering_summary(project: Project) -> str:
    """``libcluster Cluster.Strategy.DNSPoll (config/runtime.exs:12; reads DNS_NODES)``."""
    c = project.clustering
    if c.strategy is None:
        return f"{c.library} (no strategy found)" if c.library else "-"
    reads = f"; reads {', '.join(c.reads)}" if c.reads else ""
    todo = "" if c.configured else "; not configured for Kubernetes (`k8s --cluster` says how)"
    return f"{c.library} {c.strategy} ({c.source}{reads}{todo})"


def _reads_summary(project: Project) -> str:
    """``VERSION (mix.exs), README.md (compile), content/ (boot)``: the files beyond the usual
    folders that the image gets because the project reads them."""
    groups = (
        ("mix.exs", project.mix_reads),
        ("compile", project.compile_reads),
        ("boot", project.boot_reads),
        ("committed secret", project.tracked_secrets),
    )
    parts = [f"{path} ({where})" for where, paths in groups for path in paths]
    usual = ("apps",) if project.umbrella else ("c_src", "include", "lib", "native", "priv", "src")
    parts.extend(f"{d}/ (compiled)" for d in project.source_dirs if d not in usual)
    return ", ".join(parts) or "-"


def _secrets_summary(project: Project) -> str:
    """``config/prod.secret.exs (build secret config_prod_secret_exs, not here)``: imported
    config git does not hold, which the build mounts as secrets."""
    parts = []
    for secret in project.config_secrets:
        notes = [f"build secret {secret.id}"]
        if not secret.required:
            notes.append("optional")
        if not secret.present:
            notes.append("not on this machine")
        parts.append(f"{secret.path} ({', '.join(notes)})")
    return ", ".join(parts) or "-"


def _problems_summary(problems: tuple[str, ...]) -> str:
    if not problems:
        return "-"
    count = len(problems)
    them = "it is" if count == 1 else "they are"
    return f"{count} (listed below; init writes nothing until {them} fixed)"


def _env_summary(project: Project) -> str:
    """``DATABASE_URL (required, secret), POOL_SIZE=10, ...``: what the release reads at boot."""
    parts = []
    for var in project.env:
        marks = [m for m, on in (("required", var.required), ("secret", var.secret)) if on]
        shown = (
            f"{var.name}={var.default}" if var.default is not None and not var.secret else var.name
        )
        parts.append(f"{shown} ({', '.join(marks)})" if marks else shown)
    return ", ".join(parts) or "-"


def _listening(project: Project) -> str:
    """``4000 (PORT), 443 (https, fixed at config/prod.exs:9)``: every HTTP port and the
    variable it is read from."""
    if not project.http_server:
        return "- (nothing listens)"
    if not project.ports:
        return f"{project.port} ({project.port_env or 'PORT'})"
    parts = []
    lead = project.ports[0].endpoint
    for item in project.ports:
        words = [] if item.endpoint == lead else [item.endpoint or item.app]
        if item.scheme == "https":
            words.append("https")
        words.append(item.env or (f"fixed at {item.where}" if item.where else "default"))
        if item.port is None:
            words.append("no default" if item.env else "not readable")
        parts.append(f"{item.port if item.port is not None else '-'} ({', '.join(words)})")
    return ", ".join(parts)


def _programs(project: Project) -> str:
    """``ffmpeg, convert; git (compile)``: what the release runs, then what compiling runs."""
    run = sorted({c.name for c in project.commands if c.name and c.stage == "run"})
    built = sorted({c.name for c in project.commands if c.name and c.stage == "compile"})
    return ", ".join([*run, *(f"{name} (compile)" for name in built)]) or "-"


def _other_listeners(project: Project) -> str:
    """``TCP 4950 on 127.0.0.1 (:gen_tcp.listen, lib/munin.ex:12)``: listeners not HTTP."""
    parts = []
    for s in project.other_listeners:
        port = s.port if s.port is not None else "?"
        env = f" from {s.env}" if s.env else ""
        on = f" on {s.ip}" if s.ip else ""
        parts.append(f"{s.transport.upper()} {port}{env}{on} ({s.via}, {s.where})")
    return ", ".join(parts) or "-"


def _optional_listeners(project: Project) -> str:
    """``BOB_METRICS_PORT (Bandit, lib/bob/application.ex:53; only when set:
    config/runtime.exs:46)``: HTTP servers that start only when their port is set."""
    parts = []
    for port, where in project.optional_listeners:
        number = port.env or (port.port if port.port is not None else "?")
        parts.append(f"{number} ({port.endpoint}, {port.where}; only when set: {where})")
    return ", ".join(parts) or "-"
