"""Stamps, drift classification and atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kubenative.errors import UserError
from kubenative.files import State, atomic_write, classify, stamp


def test_classify() -> None:
    ours = stamp("FROM x\n")
    assert classify(None, ours) is State.MISSING
    assert classify(ours, ours) is State.CURRENT
    assert classify(ours, stamp("FROM y\n")) is State.STALE
    assert classify(ours + "# edit\n", stamp("FROM y\n")) is State.EDITED
    assert classify("FROM handmade\n", ours) is State.FOREIGN


def test_atomic_write_keeps_mode_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "Dockerfile"
    target.write_text("old")
    os.chmod(target, 0o600)
    atomic_write(target, "new")
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["Dockerfile"]


def test_atomic_write_to_unwritable_folder_is_a_user_error(tmp_path: Path) -> None:
    missing = tmp_path / "gone" / "Dockerfile"
    with pytest.raises(UserError, match="cannot write"):
        atomic_write(missing, "x")
