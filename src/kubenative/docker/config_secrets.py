"""The project's own files that the Dockerfile mounts as build secrets (an ignored
``prod.secret.exs`` config imports: see kubenative.plan.secrets), and what ``kubenative build``
passes for them.

Read from the Dockerfile on disk, as the stage names are: ``build`` builds the file ``init``
wrote, and every ``RUN --mount=type=secret,...,target=/app/<path>`` names a file of the project
(its path below ``/app``, the project's folder in the image). Other secret mounts (``npmrc``,
``hex_api_key``) have no target there and stay the user's ``--secret`` to give.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from kubenative.docker.build import declared_args
from kubenative.errors import UserError
from kubenative.plan.model import APP_DIR
from kubenative.plan.secrets import DIGEST_ARG

_MOUNT = re.compile(r"--mount=type=secret,(\S+)")


@dataclass(frozen=True)
class FileSecret:
    id: str
    path: str  # below /app: the project's file
    required: bool


def file_secrets(dockerfile: str) -> tuple[FileSecret, ...]:
    """Every secret mount whose target is a project file, once per id (required when any of
    its mounts is)."""
    found: dict[str, FileSecret] = {}
    for match in _MOUNT.finditer(dockerfile):
        fields = _fields(match.group(1))
        target, secret_id = fields.get("target", ""), fields.get("id", "")
        if not secret_id or not target.startswith(APP_DIR + "/"):
            continue
        required = fields.get("required", "false") == "true"
        earlier = found.get(secret_id)
        found[secret_id] = FileSecret(
            secret_id, target[len(APP_DIR) + 1 :], required or bool(earlier and earlier.required)
        )
    return tuple(found.values())


@dataclass(frozen=True)
class Passed:
    secrets: tuple[str, ...]  # ``id=...,src=...`` for docker's --secret
    build_args: tuple[str, ...]  # the digest argument, when the Dockerfile declares it
    warnings: tuple[str, ...]


def _fields(spec: str) -> dict[str, str]:
    return dict(part.partition("=")[::2] for part in spec.split(","))


def _content(spec: str) -> bytes:
    fields = _fields(spec)
    if fields.get("src"):
        return Path(fields["src"]).expanduser().read_bytes()
    return os.environ.get(fields.get("env", ""), "").encode()


def pass_secrets(
    dockerfile: str, project: Path, given: tuple[str, ...], *, dry_run: bool
) -> Passed:
    """The ``--secret`` flags for the project files the Dockerfile mounts (``project``: the
    folder that is ``/app``), after the user's own ``given`` ones (which win for their id), and
    the digest build argument over all of them. A required file that is missing stops the
    build with one line; a dry run only warns, so it can print the commands for a CI runner
    that will have the file."""
    secrets: list[str] = []
    warnings: list[str] = []
    given_ids = {_fields(spec).get("id") for spec in given}
    digest = hashlib.sha256()
    complete, mounted = True, False
    for secret in file_secrets(dockerfile):
        user = next((spec for spec in given if _fields(spec).get("id") == secret.id), None)
        src = project / secret.path
        if user is None and not src.is_file():
            if not secret.required:
                continue  # the import is conditional: Mix goes on without the file
            message = (
                f"{src} is missing: the project's config imports it and the Dockerfile mounts "
                f"it as the build secret `{secret.id}`, so Mix stops without it; create it, or "
                f"pass it with --secret id={secret.id},src=FILE"
            )
            if not dry_run:
                raise UserError(message)
            warnings.append(message)
            complete = False
        spec = user or f"id={secret.id},src={src}"
        if secret.id not in given_ids:
            secrets.append(spec)
        if complete:
            digest.update(f"{secret.id}\0".encode() + _content(spec) + b"\0")
        mounted = True
    build_args: tuple[str, ...] = ()
    if mounted and complete and DIGEST_ARG in declared_args(dockerfile):
        build_args = (f"{DIGEST_ARG}={digest.hexdigest()}",)
    return Passed(tuple(secrets), build_args, tuple(warnings))
