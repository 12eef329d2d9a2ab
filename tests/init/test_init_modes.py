"""Drop-in modes (a symlink named tini or dumb-init), terminals, and life outside PID 1."""

from __future__ import annotations

import os
import select
import signal
import time
from pathlib import Path

import pytest

from tests.init.helpers import program
from tests.init.test_init_pid1 import (
    REPORT,
    child_view,
    signals_after_ready,
    wait_ready,
)
from tests.support.pidns import (
    INIT_PY,
    InitRun,
    init_argv,
    kill_tree,
    parent_of,
    proc_state,
    run_init,
    wait_for,
)

pytestmark = [pytest.mark.pidns, pytest.mark.usefixtures("require_pidns")]


def named(tmp_path: Path, name: str) -> Path:
    link = tmp_path / name
    link.symlink_to(INIT_PY)
    return link


# --- tini ------------------------------------------------------------------------------------


def test_tini_command_line_works_under_the_name_tini(tmp_path: Path) -> None:
    tini = named(tmp_path, "tini")
    args = ["-s", "-g", "-w", "-p", "SIGKILL", "-e", "3", "--", "sh", "-c", "exit 3"]
    assert run_init(args, script=tini).returncode == 0
    view = child_view(run_init(REPORT, script=tini))
    assert view["Pid"] == view["pgid"] == "2"


# --- dumb-init -------------------------------------------------------------------------------


def test_dumb_init_runs_the_child_in_a_new_session(tmp_path: Path) -> None:
    view = child_view(run_init(REPORT, script=named(tmp_path, "dumb-init")))
    assert view["Pid"] == view["pgid"] == view["sid"] == "2"


@pytest.mark.parametrize("how", ["-c", "--single-child", "DUMB_INIT_SETSID=0"])
def test_dumb_init_single_child_keeps_the_child_in_the_init_group(tmp_path: Path, how: str) -> None:
    env = {**os.environ}
    args = list(REPORT)
    if how.startswith("DUMB"):
        env["DUMB_INIT_SETSID"] = "0"
    else:
        args.insert(0, how)
    view = child_view(run_init(args, script=named(tmp_path, "dumb-init"), env=env))
    assert view["Pid"] == "2"
    assert view["pgid"] != "2" and view["sid"] != "2"


def test_dumb_init_forwards_to_the_group_and_rewrites_by_number(tmp_path: Path) -> None:
    out = tmp_path / "signals"
    grandchild = Path(f"{out}.grandchild")
    args = ["-r", "10:12", "--", *program("recorder", str(out), "--fork")]
    with InitRun(args, script=named(tmp_path, "dumb-init")) as run:
        wait_ready(out)
        wait_ready(grandchild)
        run.kill(signal.SIGUSR1)
        wait_for(lambda: signals_after_ready(grandchild) == [signal.SIGUSR2], what="grandchild")
        wait_for(lambda: signals_after_ready(out) == [signal.SIGUSR2], what="child")


def test_dumb_init_stops_the_child_on_sigtstp_and_continues_it(tmp_path: Path) -> None:
    with InitRun(["--", "sleep", "30"], script=named(tmp_path, "dumb-init")) as run:
        child = run.main_child()
        wait_for(lambda: Path(f"/proc/{child}/comm").read_text() == "sleep\n", what="exec")
        run.kill(signal.SIGTSTP)
        wait_for(lambda: proc_state(child) == "T", what="the child to stop")
        run.kill(signal.SIGCONT)
        wait_for(lambda: proc_state(child) == "S", what="the child to continue")
        run.kill(signal.SIGTERM)
        assert run.wait() == 128 + signal.SIGTERM


def test_dumb_init_sends_sigterm_to_the_group_when_the_child_exits(tmp_path: Path) -> None:
    # dumb-init not as PID 1 (as PID 1 its exit SIGKILLs the namespace at once): ours is
    # PID 1 and keeps the namespace up for 3 s while the grandchild handles dumb-init's SIGTERM
    out = tmp_path / "grandchild"
    dumb_init = init_argv(script=named(tmp_path, "dumb-init"))
    inner = [*dumb_init, "--", *program("leave_grandchild", str(out), "polite")]
    script = " ".join(inner) + "; echo inner=$?; sleep 3"
    result = run_init(["--", "sh", "-c", script])
    assert (result.returncode, result.stdout) == (0, "inner=0\n")
    assert Path(f"{out}.term").read_text() == "TERM"


# --- terminals -------------------------------------------------------------------------------


def read_until(fd: int, marker: bytes, timeout: float = 20.0) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise AssertionError(f"no {marker!r} on the terminal; got {seen!r}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the terminal's other side closed
            break
        if not chunk:
            break
        seen += chunk
    return seen


def wait_exit(pid: int, timeout: float = 20.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.02)
    raise AssertionError("the process on the terminal did not exit")


def run_on_terminal(argv: list[str]) -> tuple[int, int]:
    pid, fd = os.forkpty()
    if pid == 0:  # the terminal's session leader, as a container runtime sets it up
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    return pid, fd


def test_ctrl_c_on_a_terminal_reaches_the_child_only_and_the_init_exits_130() -> None:
    command = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"]
    pid, fd = run_on_terminal([*command, *init_argv("-vvv", "--", *program("tty_child"))])
    try:
        assert b"foreground=True ready" in read_until(fd, b"ready")
        os.write(fd, b"\x03")
        assert wait_exit(pid) == 130
        pid = 0
    finally:
        if pid:
            kill_tree(pid)
            os.waitpid(pid, 0)
        os.close(fd)


def test_dumb_init_hands_its_terminal_to_the_child_session(tmp_path: Path) -> None:
    dumb_init = named(tmp_path, "dumb-init")
    # setsid --ctty makes the namespace's PID 1 a session leader owning the terminal: the
    # situation of PID 1 under `docker run -it`
    command = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "setsid", "--ctty"]
    argv = [*command, *init_argv("-v", "--", *program("tty_child"), script=dumb_init)]
    pid, fd = run_on_terminal(argv)
    try:
        output = read_until(fd, b"ready")
        assert b"foreground=True ready" in output
        os.write(fd, b"\x03")
        assert wait_exit(pid) == 130
        pid = 0
    finally:
        if pid:
            kill_tree(pid)
            os.waitpid(pid, 0)
        os.close(fd)


# --- not PID 1 -------------------------------------------------------------------------------


def test_outside_pid_1_it_is_a_subreaper_and_reaps_orphaned_grandchildren(tmp_path: Path) -> None:
    out = tmp_path / "grandchild"
    with InitRun(["-v", "--", *program("orphan_one", str(out), "1")], namespace=False) as run:
        wait_for(out.exists, what="the grandchild")
        grandchild = int(out.read_text())
        # its parent died: it was re-parented to the init, not to the machine's PID 1
        wait_for(lambda: parent_of(grandchild) == run.init_pid, what="re-parenting")
        wait_for(lambda: proc_state(grandchild) == "", timeout=10, what="grandchild reaped")
        run.kill(signal.SIGTERM)
        assert run.wait() == 128 + signal.SIGTERM
    assert "registered as a child subreaper" in run.stderr.decode()


def parent_dies_script(out: Path, *init_args: str) -> str:
    """A shell script whose subshell starts an init and exits 1 s later (the init's parent
    dies), while the script itself keeps the namespace alive."""
    trap = f"'trap \"echo TERM > {out}; exit\" TERM; sleep 30 & wait'"
    inner = " ".join([*init_argv(*init_args, "--"), "sh", "-c", trap])
    return f"( {inner} & sleep 1 ); sleep 30"


def test_p_sends_the_signal_to_the_init_when_its_parent_dies(tmp_path: Path) -> None:
    out = tmp_path / "term"
    with InitRun(["--", "sh", "-c", parent_dies_script(out, "-p", "SIGTERM")]):
        # the shell creates the file before `echo` writes to it: wait for the whole line
        wait_for(
            lambda: out.exists() and out.read_text().endswith("\n"),
            timeout=10,
            what="the parent-death signal to reach the program",
        )
    assert out.read_text() == "TERM\n"


def test_without_p_the_parent_dying_sends_nothing(tmp_path: Path) -> None:
    out = tmp_path / "term"
    with InitRun(["--", "sh", "-c", parent_dies_script(out)]):
        time.sleep(2.5)
        assert not out.exists()
