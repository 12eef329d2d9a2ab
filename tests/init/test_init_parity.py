"""Drop-in parity: the same command lines under the real tini / dumb-init (Debian packages) and
under ours named tini / dumb-init, each as PID 1 of a fresh namespace, give the same exit code
and the same process layout. The one intended difference is asserted too."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.init.test_init_pid1 import REPORT, child_view
from tests.support import skip_or_fail
from tests.support.pidns import INIT_PY, init_argv

pytestmark = [pytest.mark.pidns, pytest.mark.usefixtures("require_pidns")]

UNSHARE = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"]

SCENARIOS = [
    ["--", "sh", "-c", "exit 3"],
    ["--", "sh", "-c", "kill -TERM $$"],
    ["--", "sh", "-c", "kill -KILL $$"],
    ["--", "/etc"],
    ["--", "true"],
]


def real(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        skip_or_fail(f"{name} is not installed (apt-get install {name})")
    return path


def run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*UNSHARE, *argv], capture_output=True, text=True, timeout=30, check=False
    )


def ours(tmp_path: Path, name: str) -> list[str]:
    link = tmp_path / name
    if not link.exists():
        link.symlink_to(INIT_PY)
    return init_argv(script=link)


@pytest.mark.parametrize("args", SCENARIOS, ids=" ".join)
def test_same_exit_codes_as_tini(tmp_path: Path, args: list[str]) -> None:
    theirs = run([real("tini"), *args])
    mine = run([*ours(tmp_path, "tini"), *args])
    assert mine.returncode == theirs.returncode


@pytest.mark.parametrize(
    "args", [*SCENARIOS, ["-e", "3", "--", "sh", "-c", "exit 3"]], ids=" ".join
)
def test_same_exit_codes_as_tini_with_options(tmp_path: Path, args: list[str]) -> None:
    theirs = run([real("tini"), "-g", *args])
    mine = run([*ours(tmp_path, "tini"), "-g", *args])
    assert mine.returncode == theirs.returncode


@pytest.mark.parametrize("args", [s[1:] for s in SCENARIOS if s[1] != "/etc"], ids=" ".join)
def test_same_exit_codes_as_dumb_init(tmp_path: Path, args: list[str]) -> None:
    theirs = run([real("dumb-init"), *args])
    mine = run([*ours(tmp_path, "dumb-init"), *args])
    assert mine.returncode == theirs.returncode


def test_exec_failure_is_127_where_dumb_init_says_2(tmp_path: Path) -> None:
    # intended: the init's contract (README) is the shell's 127/126 in every mode
    assert run([real("dumb-init"), "no-such-program"]).returncode == 2
    assert run([*ours(tmp_path, "dumb-init"), "no-such-program"]).returncode == 127


@pytest.mark.parametrize("name", ["tini", "dumb-init"])
def test_same_process_layout_for_the_child(tmp_path: Path, name: str) -> None:
    theirs = child_view(run([real(name), *REPORT]))
    mine = child_view(run([*ours(tmp_path, name), *REPORT]))
    for field in ("Pid", "pgid", "sid", "SigBlk", "SigIgn"):
        assert mine[field] == theirs[field], field
