"""Shared test helpers."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "kube_native"
GOLDEN = REPO / "tests" / "golden"


@pytest.fixture
def copy_project(tmp_path: Path) -> Callable[[Path], Path]:
    """Copy a project tree into a temporary folder and return the copy's path."""

    def copy(source: Path) -> Path:
        target = tmp_path / source.name
        shutil.copytree(source, target)
        return target

    return copy
