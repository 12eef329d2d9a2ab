"""The robustness battery: every generated case in tests/robustness/cases.py, run with the
real command and rules under a time and memory bound (see harness.py).

Each case checks: no traceback and no "internal error"; the exit code and each stderr line
per the contract; for ``--fix``: the bytes it did not mean to change, links, owner, group,
mode and line endings, and that a second ``--fix`` changes nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.robustness.cases import CASES, SHELL_CMD
from tests.robustness.harness import (
    Case,
    check_fix,
    check_output,
    run,
    snapshot,
)


def test_the_battery_is_big_enough() -> None:
    assert len(CASES) >= 150
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case(case: Case, tmp_path: Path) -> None:
    folder = tmp_path / "w"
    folder.mkdir()
    case.build(folder)
    before = snapshot(folder)
    result = run(case, folder)
    check_output(case, result)
    if case.fix is None:
        return
    check_fix(case.fix, folder, before)
    fixed = snapshot(folder)
    again = run(case, folder)
    assert "Traceback" not in again.stderr and "internal error" not in again.stderr
    assert snapshot(folder) == fixed, "a second --fix changed files"


def test_fix_in_an_immutable_folder_is_one_error_and_changes_nothing(tmp_path: Path) -> None:
    """No temp file can be created: the error names the file, nothing is half-written."""
    if shutil.which("chattr") is None:
        pytest.fail("chattr (e2fsprogs) is needed to make a folder immutable")
    folder = tmp_path / "w"
    folder.mkdir()
    (folder / "Dockerfile").write_bytes(SHELL_CMD)
    made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.fail(f"chattr +i failed on this file system: {made.stderr!r}")
    try:
        before = snapshot(folder)
        case = Case(
            id="immutable",
            build=lambda _: None,
            args=["--no-docker", "--no-color", "--fix", "Dockerfile"],
            exit_code=2,
            stderr=[
                r"Dockerfile:1: error: cannot write the fix: no temp file in \.: "
                r"Operation not permitted"
            ],
        )
        check_output(case, run(case, folder))
        assert snapshot(folder) == before
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
