"""One handler a command: call the core function, print what it found, pick the exit code."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import NoReturn

from kubenative import app
from kubenative.cli import arguments
from kubenative.cli.describe import describe
from kubenative.errors import EXIT_OK, EXIT_USER, UserError
from kubenative.files import Planned, State


def _warn(warnings: Sequence[str]) -> None:
    for warning in warnings:
        print(f"kubenative: warning: {warning}", file=sys.stderr)


def cmd_inspect(args: argparse.Namespace) -> int:
    inspected = app.inspect(args.path, args.app)  # the --app init saved, when not given
    if args.json:
        print(json.dumps(inspected.to_json(), indent=2, sort_keys=False))
    else:
        print(describe(inspected))
    _warn(inspected.warnings)
    for problem in inspected.problems:
        print(f"kubenative: problem: {problem}", file=sys.stderr)
    return EXIT_USER if args.strict and inspected.problems else EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    overrides = arguments.overrides(args)
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
        _refuse(
            result.refused,
            "nothing written (the diff above is what init would write). Re-run with --force to "
            "replace them, or --output PATH to write kubenative's Dockerfile elsewhere",
        )
    _list_written(result)
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


def _refuse(refused: Sequence[Planned], then: str) -> NoReturn:
    """Print what would be written over the refused files and stop; ``then`` says what was not
    done and how to go on."""
    for planned in refused:
        print(planned.diff(), end="")
    raise UserError(f"{_refusal(refused)}; {then}")


def _list_written(result: app.InitResult) -> None:
    for path in result.written:
        print(f"wrote {path}")
    for path in result.unchanged:
        print(f"unchanged {path}")


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
    diff = planned.diff().splitlines()
    added, removed = _copied_mix_files(diff, "+"), _copied_mix_files(diff, "-")
    detail = ""
    if added or removed:
        parts = [f"new app {p.rsplit('/', 2)[-2]}" for p in added if p not in removed]
        parts += [f"app {p.rsplit('/', 2)[-2]} removed" for p in removed if p not in added]
        detail = f" ({', '.join(parts)})" if parts else ""
    return (
        f"the project or its options changed since it was generated{detail}; "
        "run `kubenative init` to update it"
    )


def _copied_mix_files(diff: list[str], sign: str) -> list[str]:
    """The mix.exs files (``apps/web/mix.exs``) copied by the Dockerfile's COPY lines that the
    diff adds (``sign`` ``+``) or removes (``-``)."""
    return [
        line[1:].split()[-2]
        for line in diff
        if line.startswith(f"{sign}COPY") and line.endswith("/") and "/mix.exs" in line
    ]


def cmd_check(args: argparse.Namespace) -> int:
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


def cmd_pin(args: argparse.Namespace) -> int:
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
        _refuse(
            result.refused,
            "no pin saved and nothing written (the diff above is what pin would write). Re-run "
            "with --force to overwrite, or keep your edits",
        )
    for r in resolved:
        # The digest of what the tag points to: for a multi-platform tag the manifest list's
        # (the index), so every platform keeps its own image under the one pin.
        what = [r.kind] if r.kind else []
        if r.moved:
            what.append(f"was {r.pinned}")
        print(f"pinned {r.image}@{r.current}" + (f" ({'; '.join(what)})" if what else ""))
    _warn([_lacks(r) for r in resolved if r.missing])
    _list_written(result)
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


def cmd_report(args: argparse.Namespace) -> int:
    from kubenative import report

    result = report.report(args.image)
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
    else:
        print("\n".join(report.lines(result)))
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
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
