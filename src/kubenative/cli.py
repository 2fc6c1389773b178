"""Command line: parse arguments, call one core function per command, print, pick the exit code."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kubenative import __version__, app
from kubenative.errors import (
    EXIT_BUG,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USER,
    UserError,
)
from kubenative.files import Planned, State
from kubenative.options import CLUSTER_CHOICES, OS_CHOICES, RUNTIME_CHOICES
from kubenative.project.model import Assets, Project

OPTION_FLAGS = (
    "os",
    "os_release",
    "elixir",
    "otp",
    "node",
    "builder_image",
    "node_image",
    "runtime_image",
    "release",
    "port",
    "user_id",
    "runtime",
    "bake",
    "k8s",
    "k8s_dir",
    "image",
    "namespace",
    "replicas",
    "host",
    "health_path",
    "cluster",
    "dockerfile",
    "app",
    "platform",
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kubenative",
        description="Take an Elixir/Phoenix project (umbrella or not) to production on "
        "Kubernetes: an optimized multi-stage Dockerfile, cache-friendly builds, manifests.",
    )
    parser.add_argument("--version", action="version", version=f"kubenative {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    inspect = commands.add_parser("inspect", help="show what the project is")
    inspect.add_argument("path", nargs="?", default=".", help="the project (default: .)")
    inspect.add_argument("--json", action="store_true", help="print one JSON object")
    inspect.add_argument("--app", metavar="FOLDER", help="the poncho app to inspect")
    inspect.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when the project has a problem that stops init or the build "
        "(default: list the problems and exit 0)",
    )

    init = commands.add_parser("init", help="write the Dockerfile and .dockerignore")
    init.add_argument("path", nargs="?", default=".", help="the project (default: .)")
    _write_modes(init)
    init.add_argument(
        "--force", action="store_true", help="overwrite files that were edited by hand"
    )
    _generation_options(init)
    init.add_argument(
        "--bake",
        action="store_true",
        default=None,
        help="also write docker-bake.hcl (a target per stage, registry cache; saved)",
    )

    _k8s_parser(commands)

    check = commands.add_parser(
        "check", help="exit 1 with a diff when the files differ from what init would write"
    )
    check.add_argument("path", nargs="?", default=".", help="the project (default: .)")

    pin = commands.add_parser(
        "pin", help="pin every base image to the digest its tag points to now (needs the registry)"
    )
    pin.add_argument("path", nargs="?", default=".", help="the project (default: .)")
    pin.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when a pinned tag now points to another digest",
    )
    pin.add_argument(
        "--force", action="store_true", help="overwrite files that were edited by hand"
    )

    report = commands.add_parser(
        "report", help="an image's size: compressed, flattened, the release and the rest"
    )
    report.add_argument("image", help="an image in the local engine")
    report.add_argument("--json", action="store_true", help="print one JSON object")
    _build_parser(commands)
    return parser


def _write_modes(parser: argparse.ArgumentParser) -> None:
    """``--dry-run`` or ``--diff``: the two ways init and k8s show their files without writing."""
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="print the files, write nothing")
    mode.add_argument(
        "--diff",
        action="store_true",
        help="show what would change, write nothing (exit 1 when something would)",
    )


def _k8s_parser(commands: Any) -> None:
    k8s = commands.add_parser(
        "k8s", help="write a kustomize base of Kubernetes manifests (k8s/) for the same image"
    )
    k8s.add_argument("path", nargs="?", default=".", help="the project (default: .)")
    _write_modes(k8s)
    k8s.add_argument("--force", action="store_true", help="overwrite files edited by hand")
    group = k8s.add_argument_group("manifest options (saved in .kubenative.toml)")
    group.add_argument("--image", metavar="REF", help="image the manifests start from")
    group.add_argument("--namespace", metavar="NS", help="namespace to deploy into")
    group.add_argument("--replicas", type=int, metavar="N", help="pods to run (default: 2)")
    group.add_argument("--host", metavar="HOST", help="public host name (PHX_HOST)")
    group.add_argument(
        "--health-path", metavar="PATH", help="HTTP route the probes GET (default: found)"
    )
    group.add_argument(
        "--dir", dest="k8s_dir", metavar="DIR", help="folder of the base (default: k8s)"
    )
    group.add_argument(
        "--cluster",
        choices=CLUSTER_CHOICES,
        default=None,
        help="connect the pods as one BEAM cluster: dns (a headless Service: dns_cluster, "
        "libcluster's Kubernetes.DNS/DNSSRV/DNSPoll), kubernetes (libcluster's Kubernetes "
        "strategy, with RBAC to read endpoints) or none (default: what inspect finds)",
    )
    k8s.set_defaults(k8s=True)


def _build_parser(commands: Any) -> None:
    build = commands.add_parser(
        "build", help="build (and push) the image with a stage cache that survives CI runners"
    )
    build.add_argument("path", nargs="?", default=".", help="the project (default: .)")
    build.add_argument("--image", required=True, help="repository to tag, e.g. reg.example/app")
    build.add_argument("--push", action="store_true", help="push the image and its cache")
    build.add_argument(
        "--cache",
        choices=("stages", "registry", "none"),
        help="stages: tag and push every stage (any engine); registry: a buildx registry "
        "cache of every stage; none (default: registry when buildx can export it, else stages)",
    )
    build.add_argument(
        "--platform",
        metavar="LIST",
        help="target platforms, e.g. linux/amd64,linux/arm64: one multi-platform image, pushed "
        "as one manifest list (default: what init --platform saved, else the engine's)",
    )
    build.add_argument("--builder", help="buildx builder instance to use")
    build.add_argument("--latest", action="store_true", help="also tag IMAGE:latest")
    build.add_argument(
        "--hex-mirror",
        metavar="URL",
        help="Hex mirror for local.hex/local.rebar and deps.get (the HEX_MIRROR build argument)",
    )
    build.add_argument(
        "--hex-mirror-key",
        metavar="FILE",
        help="public key of a Hex mirror that signs with its own key (`mix hex.registry build`): "
        "Mix checks the Hex and rebar install lists with it and Hex the registry (the "
        "HEX_MIRROR_KEY build argument)",
    )
    build.add_argument(
        "--build-arg",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a build argument, e.g. HEX_BUILDS_URL=URL or HEX_CACERTS_PATH=PATH (repeatable)",
    )
    build.add_argument(
        "--secret",
        action="append",
        default=[],
        metavar="id=NAME,src=FILE",
        help="a build secret, e.g. id=npmrc,src=$HOME/.npmrc or id=hex_api_key,env=HEX_API_KEY "
        "(repeatable; never in a layer or the cache)",
    )
    build.add_argument(
        "--network", help="network of the RUN steps, e.g. host to reach a mirror on 127.0.0.1"
    )
    build.add_argument(
        "--dry-run", action="store_true", help="print the commands (shell-quoted), run nothing"
    )
    build.add_argument("--json", action="store_true", help="print one JSON report object")


def _generation_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("generation options (saved in .kubenative.toml)")
    group.add_argument(
        "--app",
        metavar="FOLDER",
        help="in a poncho layout (sibling Mix projects, no mix.exs on top): the app to build, "
        "e.g. apps/web; the context stays at PATH so its path dependencies are copied",
    )
    group.add_argument(
        "--output",
        dest="dockerfile",
        metavar="PATH",
        help="write the Dockerfile to PATH inside the project and its ignore file to "
        "PATH.dockerignore (BuildKit reads it there), leaving your own Dockerfile alone "
        "(default: Dockerfile and .dockerignore)",
    )
    group.add_argument(
        "--os", choices=OS_CHOICES, default=None, help="OS family of every image (default: debian)"
    )
    group.add_argument(
        "--os-release",
        metavar="RELEASE",
        help="OS release of every image, e.g. bookworm or bookworm-20240513 (default: the one "
        "kubenative's table pairs with the Elixir/OTP versions)",
    )
    group.add_argument("--elixir", metavar="VERSION", help="Elixir version (default: detected)")
    group.add_argument("--otp", metavar="VERSION", help="OTP version (default: detected)")
    group.add_argument("--node", metavar="VERSION", help="Node.js version (default: detected)")
    group.add_argument(
        "--builder-image",
        metavar="IMAGE",
        help="builder image, used verbatim (mirrors, private registries)",
    )
    group.add_argument("--node-image", metavar="IMAGE", help="Node image, used verbatim")
    group.add_argument("--runtime-image", metavar="IMAGE", help="runtime image, used verbatim")
    group.add_argument("--release", metavar="NAME", help="which release to ship")
    group.add_argument("--port", type=int, metavar="PORT", help="HTTP port (default: detected)")
    group.add_argument(
        "--user-id", type=int, metavar="UID", help="uid and gid the release runs as (default: 1000)"
    )
    group.add_argument(
        "--platform",
        metavar="LIST",
        help="target platforms, e.g. linux/amd64,linux/arm64: `kubenative build` and the bake "
        "file build them as one multi-platform image (default: the engine's platform)",
    )
    group.add_argument(
        "--runtime",
        choices=RUNTIME_CHOICES,
        default=None,
        help="final image: slim (the OS's slim image + the release's packages) or minimal "
        "(scratch + the release, the libraries it links, busybox; debian only) (default: slim)",
    )


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    return {
        name: getattr(args, name, None)
        for name in OPTION_FLAGS
        if getattr(args, name, None) is not None
    }


def _warn(warnings: Sequence[str]) -> None:
    for warning in warnings:
        print(f"kubenative: warning: {warning}", file=sys.stderr)


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


def _describe(inspected: app.Inspected) -> str:
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


def _cmd_inspect(args: argparse.Namespace) -> int:
    inspected = app.inspect(args.path, args.app)  # the --app init saved, when not given
    if args.json:
        print(json.dumps(inspected.to_json(), indent=2, sort_keys=False))
    else:
        print(_describe(inspected))
    _warn(inspected.warnings)
    for problem in inspected.problems:
        print(f"kubenative: problem: {problem}", file=sys.stderr)
    return EXIT_USER if args.strict and inspected.problems else EXIT_OK


def _cmd_init(args: argparse.Namespace) -> int:
    overrides = _overrides(args)
    if args.dry_run or args.diff:
        generated = app.generate(args.path, overrides, args.command)
        _warn(generated.warnings)
        if args.dry_run:
            only = generated.options.k8s_base + "/" if args.command == "k8s" else ""
            for planned in generated.files:
                if not planned.path.startswith(only):
                    continue
                print(f"==> {planned.path} <==")
                print(planned.text, end="")
            return EXIT_OK
        changes = [p for p in generated.files if p.state is not State.CURRENT]
        for planned in changes:
            print(planned.diff(), end="")
        return EXIT_USER if changes else EXIT_OK
    result = app.init(args.path, overrides, force=args.force, command=args.command)
    _warn(result.generated.warnings)
    if result.refused:
        for planned in result.refused:
            print(planned.diff(), end="")
        raise UserError(
            f"{_refusal(result.refused)}; nothing written (the diff above is what init would "
            "write). Re-run with --force to replace them, or --output PATH to write "
            "kubenative's Dockerfile elsewhere"
        )
    for path in result.written:
        print(f"wrote {path}")
    for path in result.unchanged:
        print(f"unchanged {path}")
    if args.command == "k8s":
        _required_secrets(result.generated)
    return EXIT_OK


def _required_secrets(generated: app.Generated) -> None:
    required = [var.name for var in generated.project.env if var.secret and var.required]
    if required:
        base = generated.options.k8s_base
        print(
            f"fill in {base}/secrets.env (never committed; see {base}/secrets.env.example): "
            f"{', '.join(required)} (required at boot)"
        )


def _refusal(refused: Sequence[Planned]) -> str:
    """``Dockerfile not written by kubenative (kept), .dockerignore edited by hand``."""
    parts = []
    foreign = [p.path for p in refused if p.state is State.FOREIGN]
    edited = [p.path for p in refused if p.state is State.EDITED]
    if foreign:
        parts.append(f"{', '.join(foreign)} not written by kubenative (kept)")
    if edited:
        parts.append(f"{', '.join(edited)} edited by hand")
    return "; ".join(parts)


def _why(planned: Planned) -> str:
    if planned.state is State.MISSING:
        return "missing; run `kubenative init`"
    if planned.state is State.FOREIGN:
        return (
            "not written by kubenative (kept); `kubenative init --force` replaces it, "
            "`kubenative init --output PATH` writes kubenative's Dockerfile elsewhere"
        )
    if planned.state is State.EDITED:
        return (
            "edited by hand since kubenative wrote it; keep the edit and stop checking "
            "this file, or run `kubenative init --force`"
        )
    added = [
        line[1:].split()[-2]
        for line in planned.diff().splitlines()
        if line.startswith("+COPY") and line.endswith("/") and "/mix.exs" in line
    ]
    removed = [
        line[1:].split()[-2]
        for line in planned.diff().splitlines()
        if line.startswith("-COPY") and line.endswith("/") and "/mix.exs" in line
    ]
    detail = ""
    if added or removed:
        parts = [f"new app {p.rsplit('/', 2)[-2]}" for p in added if p not in removed]
        parts += [f"app {p.rsplit('/', 2)[-2]} removed" for p in removed if p not in added]
        detail = f" ({', '.join(parts)})" if parts else ""
    return (
        f"the project or its options changed since it was generated{detail}; "
        "run `kubenative init` to update it"
    )


def _cmd_check(args: argparse.Namespace) -> int:
    generated = app.check(args.path)
    _warn(generated.warnings)
    stale = [p for p in generated.files if p.state is not State.CURRENT]
    for planned in stale:
        print(planned.diff(), end="")
    for planned in stale:
        print(f"kubenative: {planned.path}: {_why(planned)}", file=sys.stderr)
    if not stale:
        print(f"ok: {', '.join(p.path for p in generated.files)} up to date")
    return EXIT_USER if stale else EXIT_OK


def _cmd_pin(args: argparse.Namespace) -> int:
    if args.check:
        resolved = app.pin_check(args.path)
        for r in resolved:
            if r.pinned is None:
                print(
                    f"kubenative: warning: {r.image} is not pinned; run kubenative pin",
                    file=sys.stderr,
                )
            elif r.moved:
                print(
                    f"kubenative: {r.image} moved: pinned {r.pinned}, now {r.current}; "
                    "run kubenative pin",
                    file=sys.stderr,
                )
            else:
                print(f"ok: {r.image} still {r.pinned}")
        return EXIT_USER if any(r.moved for r in resolved) else EXIT_OK
    resolved, result = app.pin(args.path, force=args.force)
    if result.refused:
        for planned in result.refused:
            print(planned.diff(), end="")
        raise UserError(
            f"{_refusal(result.refused)}; no pin saved and nothing written (the diff above is what "
            "pin would write). Re-run with --force to overwrite, or keep your edits"
        )
    for r in resolved:
        # The digest of what the tag points to: for a multi-platform tag the manifest list's
        # (the index), so every platform keeps its own image under the one pin.
        what = [r.kind] if r.kind else []
        if r.moved:
            what.append(f"was {r.pinned}")
        print(f"pinned {r.image}@{r.current}" + (f" ({'; '.join(what)})" if what else ""))
    _warn([_lacks(r) for r in resolved if r.missing])
    for path in result.written:
        print(f"wrote {path}")
    for path in result.unchanged:
        print(f"unchanged {path}")
    return EXIT_OK


def _lacks(resolved: app.Resolved) -> str:
    targets = ", ".join(resolved.missing)
    if resolved.manifest is not None and not resolved.manifest.is_index:
        return (
            f"{resolved.image} is one image, not a manifest list, and the build targets "
            f"{targets} (init --platform): pin a multi-platform tag"
        )
    return (
        f"{resolved.image} has no image for {targets} (its manifest list has "
        f"{', '.join(resolved.manifest.platforms) if resolved.manifest else '?'}): "
        "that platform's build will fail"
    )


def _cmd_report(args: argparse.Namespace) -> int:
    from kubenative import report

    result = report.report(args.image)
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
    else:
        print("\n".join(report.lines(result)))
    return EXIT_OK


def _cmd_build(args: argparse.Namespace) -> int:
    import shlex

    from kubenative.docker import execute

    prepared = execute.prepare(
        args.path,
        args.image,
        mode=args.cache,
        push=args.push,
        latest=args.latest,
        platform=args.platform,
        builder=args.builder,
        dry_run=args.dry_run,
        hex_mirror=args.hex_mirror,
        hex_mirror_key=args.hex_mirror_key,
        build_args=tuple(args.build_arg),
        secrets=tuple(args.secret),
        network=args.network,
    )
    req = prepared.request
    print(f"kubenative: cache mode {req.mode} ({prepared.why})", file=sys.stderr)
    _warn(prepared.warnings)
    if args.dry_run:
        for command in prepared.commands:
            print(shlex.join(command.argv))
        return EXIT_OK
    result = execute.execute(prepared, lambda line: print(f"  {line}", file=sys.stderr))
    for hint in result.hints:
        print(f"kubenative: {hint}", file=sys.stderr)
    if args.json:
        print(json.dumps(result.to_json()))
        return EXIT_OK
    for stage in result.stages:
        state = stage.summary()
        print(f"{stage.name:10} {stage.seconds:7.1f}s  {state}")
    size = f"{result.size / 1e6:.1f} MB" if result.size is not None else "unknown"
    if result.platforms:
        size = ", ".join(p.platform for p in result.platforms if p.target)
    print(f"built {', '.join(result.tags)} ({size}){' and pushed' if req.push else ''}")
    return EXIT_OK


COMMANDS = {
    "build": _cmd_build,
    "inspect": _cmd_inspect,
    "init": _cmd_init,
    "k8s": _cmd_init,  # the same generation, with the manifests switched on
    "check": _cmd_check,
    "pin": _cmd_pin,
    "report": _cmd_report,
}


def _log_path() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "kubenative" / "kubenative.log"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UserError as err:
        print(f"kubenative: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("kubenative: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as err:  # a bug: keep the traceback for the report
        log = _log_path()
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as handle:
                handle.write(traceback.format_exc())
            where = f"; the traceback is in {log}"
        except OSError:
            where = ""
        print(
            f"kubenative: internal error (a bug, please report it): "
            f"{type(err).__name__}: {err}{where}",
            file=sys.stderr,
        )
        return EXIT_BUG
