"""The one error type a user can fix, and the process exit codes.

The core raises :class:`UserError` for anything the user can act on (bad input, a daemon that is
down, a registry that refuses). The CLI prints its message on one line and exits 1. Usage errors
exit 2, Ctrl-C 130, and anything else is a bug: exit 3 with the traceback written to a log.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_USER = 1
EXIT_USAGE = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130


class UserError(Exception):
    """Something the user can fix. ``str(err)`` is one line: what is wrong and how to fix it."""

    exit_code = EXIT_USER


class UsageError(UserError):
    """Contradictory or malformed command-line options."""

    exit_code = EXIT_USAGE


class ParseError(UserError):
    """A project file that does not parse; the message names the file, line and column."""

    def __init__(self, path: str, line: int, column: int, detail: str) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.detail = detail
        super().__init__(f"{path}:{line}:{column}: {detail}")
