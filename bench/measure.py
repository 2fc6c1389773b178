"""What the benchmark asks of the Docker engine: timed builds and image sizes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BUILD_ATTEMPTS = 3  # a build the engine broke (not the Dockerfile) is run again


class BenchError(Exception):
    """A docker command of the benchmark failed."""


@dataclass(frozen=True)
class Docker:
    """The one way the benchmark runs docker."""

    binary: str = "docker"

    def run(self, *args: str, timeout: float = 3600) -> str:
        proc = subprocess.run(
            [self.binary, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "DOCKER_BUILDKIT": "1"},
        )
        if proc.returncode != 0:
            tail = (proc.stdout + proc.stderr)[-3000:]
            raise BenchError(f"docker {' '.join(args[:3])} ... exited {proc.returncode}:\n{tail}")
        return proc.stdout + proc.stderr

    def build(
        self,
        context: Path,
        tag: str,
        build_args: dict[str, str],
        *,
        cold: bool = False,
        platform: str | None = None,
    ) -> tuple[float, str]:
        """Build the context's Dockerfile (for ``platform``, default the engine's); wall seconds
        and the plain progress log."""
        args = ["build", "--progress=plain", "-t", tag]
        if cold:
            args.append("--no-cache")
        if platform:
            args += ["--platform", platform]
        for key, value in build_args.items():
            args += ["--build-arg", f"{key}={value}"]
        for attempt in range(1, BUILD_ATTEMPTS + 1):
            start = time.monotonic()
            try:
                log = self.run(*args, str(context))
            except BenchError as error:
                # A step that ran and failed is the Dockerfile's fault; anything else (e.g. a
                # prune under the build: "inconsistent graph state") is the shared engine's.
                if "did not complete successfully" in str(error) or attempt == BUILD_ATTEMPTS:
                    raise
                continue
            return time.monotonic() - start, log
        raise AssertionError("unreachable")

    def inspect_size(self, image: str) -> int:
        return int(self.run("image", "inspect", "--format", "{{.Size}}", image).split()[0])


def image_sizes(image: str) -> dict[str, int]:
    """`kubenative report --json IMAGE`: flattened, compressed and /app bytes from its layers."""
    proc = subprocess.run(
        [sys.executable, "-m", "kubenative", "report", "--json", image],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise BenchError(f"kubenative report {image}: {proc.stderr.strip()[-500:]}")
    data = json.loads(proc.stdout)
    return {key: int(data[key]) for key in ("flattened_bytes", "compressed_bytes", "release_bytes")}
