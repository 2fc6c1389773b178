"""Command line: parse arguments, call one core function per command, print, pick the exit code.

The parts: :mod:`.arguments` (the parser and the options it saves), :mod:`.commands` (one
handler per command: what it calls and prints), :mod:`.describe` (inspect's text report)."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from kubenative.cli.arguments import parser
from kubenative.cli.commands import cmd_build, cmd_check, cmd_init, cmd_inspect, cmd_pin, cmd_report
from kubenative.errors import EXIT_BUG, EXIT_INTERRUPTED, UserError

COMMANDS = {
    "build": cmd_build,
    "inspect": cmd_inspect,
    "init": cmd_init,
    "k8s": cmd_init,  # the same generation, with the manifests switched on
    "check": cmd_check,
    "pin": cmd_pin,
    "report": cmd_report,
}


def _log_path() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "kubenative" / "kubenative.log"


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
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
