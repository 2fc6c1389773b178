"""Reading a project's files for inspect: one clear error a file that cannot be read (or None
from :func:`read_or_none` where the file is optional), every .gitignore, and :func:`guard`,
which turns what the user can fix into a problem."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from kubenative import ignore
from kubenative.errors import UserError


def read_or_none(path: Path) -> str | None:
    """The UTF-8 text of ``path``; None when it cannot be read or is not UTF-8 (for readers
    whose file is optional: each decides what a missing or unreadable one means)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def read_text(path: Path, root: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise UserError(f"{rel_path(path, root)}: not UTF-8 text ({err.reason})") from err
    except OSError as err:
        raise UserError(f"{rel_path(path, root)}: cannot read ({err.strerror})") from err


def rel_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix() or "."
    except ValueError:
        return str(path)


def gitignored(gitignores: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[str, ...]:
    """The project's .gitignore rules, as patterns anchored at the root (dockerignore syntax)."""
    return tuple(
        p for folder, lines in gitignores for p in ignore.translate_gitignore(folder, lines)
    )


T = TypeVar("T")


def guard(problems: list[str], fallback: T, call: Callable[[], T]) -> T:
    """``call()``; when it raises what the user can fix, that becomes a problem and
    ``fallback`` stands in, so inspect goes on and shows the rest (init refuses while there is
    a problem: see kubenative.app)."""
    try:
        return call()
    except UserError as err:
        problems.append(str(err))
        return fallback


def ex_files(root: Path, folder: str) -> list[str]:
    """The ``.ex`` files under ``folder``, relative to the root, sorted."""
    return sorted(rel_path(p, root) for p in (root / folder).rglob("*.ex") if p.is_file())


SKIP_DIRS = frozenset({".git", "_build", "deps", "node_modules", ".elixir_ls"})


def read_gitignores(root: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every .gitignore in the project (not in build output or dependencies), top first."""
    found: list[tuple[str, tuple[str, ...]]] = []

    def visit(folder: Path) -> None:
        ignore = folder / ".gitignore"
        if ignore.is_file():
            found.append((rel_path(folder, root), tuple(read_text(ignore, root).splitlines())))
        for child in sorted(folder.iterdir()):
            if child.is_dir() and not child.is_symlink() and child.name not in SKIP_DIRS:
                visit(child)

    visit(root)
    return tuple(sorted(found, key=lambda item: (item[0] != ".", item[0])))
