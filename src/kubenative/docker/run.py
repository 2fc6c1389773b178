"""The one way kubenative runs a program (docker, git): argv as a tuple, logged, output captured.

A failure becomes a :class:`CommandFailed` (a ``UserError``) naming the command, its exit code
and the last lines of its output. A missing ``docker`` binary or a daemon that is down becomes a
single line that says what to start.
"""

from __future__ import annotations

import logging
import os
import shlex
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kubenative.errors import UserError

log = logging.getLogger("kubenative.run")

Argv = tuple[str, ...]
TAIL = 15
ENGINE_DOWN = (
    "the Docker engine is not running: start it (`sudo systemctl start docker`, or open "
    "Docker Desktop) and try again"
)
_DOWN_MARKERS = (
    "Cannot connect to the Docker daemon",
    "Is the docker daemon running",
    "error during connect",
    "docker daemon is not running",
)


class CommandFailed(UserError):
    """A command exited non-zero; ``output`` holds everything it printed."""

    def __init__(self, argv: Argv, code: int, output: str, what: str = "") -> None:
        self.argv = argv
        self.code = code
        self.output = output
        lines = [line for line in output.splitlines() if line.strip()][-TAIL:]
        head = what or f"`{shlex.join(argv)}` exited {code}"
        super().__init__(head + (":\n  " + "\n  ".join(lines) if lines else ""))


def docker() -> str:
    """The docker client to use: $KUBENATIVE_DOCKER, else ``docker`` from PATH."""
    return os.environ.get("KUBENATIVE_DOCKER") or "docker"


def engine_down(output: str) -> bool:
    return any(marker in output for marker in _DOWN_MARKERS)


def _start(argv: Argv, cwd: Path | None) -> subprocess.Popen[str]:
    log.info("run: %s", shlex.join(argv))
    try:
        return subprocess.Popen(
            argv,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
            env={**os.environ, "DOCKER_BUILDKIT": "1"},
        )
    except FileNotFoundError as err:
        name = Path(argv[0]).name
        if name == "docker":
            raise UserError(
                "the Docker engine is not installed: no `docker` command on PATH "
                "(set KUBENATIVE_DOCKER to its path if it lives elsewhere)"
            ) from err
        raise UserError(f"`{name}` is not installed (needed for `{shlex.join(argv)}`)") from err


def _failed(argv: Argv, code: int, output: str) -> UserError:
    if Path(argv[0]).name == "docker" and engine_down(output):
        return UserError(ENGINE_DOWN)
    return CommandFailed(argv, code, output)


@dataclass(frozen=True)
class Completed:
    argv: Argv
    code: int
    output: str  # stdout and stderr, interleaved

    @property
    def ok(self) -> bool:
        return self.code == 0


def run(argv: Argv, *, cwd: Path | None = None, check: bool = True) -> Completed:
    """Run ``argv`` to the end. ``check``: a non-zero exit raises; otherwise it is returned."""
    proc = _start(argv, cwd)
    output, _ = proc.communicate()
    log.info("exit %d: %s", proc.returncode, argv[0])
    if check and proc.returncode != 0:
        raise _failed(argv, proc.returncode, output)
    return Completed(argv, proc.returncode, output)


def stream(argv: Argv, *, cwd: Path | None = None) -> Iterator[str]:
    """Run ``argv`` and yield its output line by line as it comes; a non-zero exit raises after
    the last line. Closing the generator early stops the command."""
    proc = _start(argv, cwd)
    seen: list[str] = []
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            seen.append(line)
            yield line.rstrip("\n")
        code = proc.wait()
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait()
    log.info("exit %d: %s", code, argv[0])
    if code != 0:
        raise _failed(argv, code, "".join(seen))
