"""Run the bundled init as PID 1 of a fresh PID namespace, and look at it from outside.

Every process a test starts here lives in a new session whose leader is `unshare`; the
namespace's PID 1 is the init. `InitRun.close()` (called by the context manager, so always in
`finally`) SIGKILLs the namespace's PID 1, which makes the kernel kill everything else inside,
and SIGKILLs the session's process group and every remaining descendant for the runs that do
not use a namespace.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

REPO = Path(__file__).resolve().parents[2]
INIT_PY = REPO / "initlint" / "init.py"
DEFAULT_TIMEOUT = 20.0


# The interpreter that runs the init; INITLINT_INIT_PYTHON=/path/to/python3.8 re-runs the
# whole suite against another version (the init supports 3.8 and newer).
INIT_PYTHON = os.environ.get("INITLINT_INIT_PYTHON", sys.executable)


def init_argv(*init_args: str, script: Path = INIT_PY) -> list[str]:
    """The init run the way images run it: `python3 -I -S /path/init -- ...`."""
    return [INIT_PYTHON, "-I", "-S", str(script), *init_args]


def wait_for(
    predicate: Callable[[], bool], timeout: float = DEFAULT_TIMEOUT, what: str = ""
) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")
        time.sleep(0.01)


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(word) for word in text.split()]


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    pending = [pid]
    while pending:
        for child in children(pending.pop()):
            found.append(child)
            pending.append(child)
    return found


def proc_status(pid: int) -> dict[str, str]:
    """/proc/PID/status as a dict (empty when the process is gone)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    fields = (line.partition(":") for line in lines)
    return {key: value.strip() for key, _, value in fields}


def signal_mask(field: str) -> set[int]:
    """Decode a SigBlk/SigIgn hex mask into signal numbers."""
    bits = int(field, 16)
    return {number for number in range(1, 65) if bits & (1 << (number - 1))}


def proc_state(pid: int) -> str:
    """One-letter state (R, S, Z, T, ...) or '' when gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat[stat.rindex(")") + 2]


def parent_of(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat[stat.rindex(")") + 2 :].split()[1])


def pid_namespace(pid: int) -> str:
    return os.readlink(f"/proc/{pid}/ns/pid")


def namespace_states(init_pid: int) -> list[str]:
    """The state letter of every process in init_pid's PID namespace (seen from the host)."""
    namespace = pid_namespace(init_pid)
    states = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.readlink(f"/proc/{entry}/ns/pid") != namespace:
                continue
        except OSError:
            continue
        state = proc_state(int(entry))
        if state:
            states.append(state)
    return states


def count_zombies_in_namespace(init_pid: int) -> int:
    return namespace_states(init_pid).count("Z")


def kill_tree(pid: int) -> None:
    """SIGKILL a process and all its descendants, parents first so none can fork again."""
    for target in [pid, *descendants(pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(target, signal.SIGKILL)


class InitRun:
    """The init started in its own session, in a new PID namespace unless namespace=False.

    `init_pid` is the host PID of the init (the namespace's PID 1).
    """

    def __init__(
        self,
        init_args: Sequence[str],
        *,
        namespace: bool = True,
        script: Path = INIT_PY,
        env: dict[str, str] | None = None,
        stdin: int | None = subprocess.DEVNULL,
        preexec_fn: Callable[[], None] | None = None,
    ) -> None:
        argv = init_argv(*init_args, script=script)
        if namespace:
            argv = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", *argv]
        self.namespace = namespace
        self.process = subprocess.Popen(
            argv,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env=env,
            preexec_fn=preexec_fn,
        )
        self._init_pid: int | None = None if namespace else self.process.pid
        self.stdout = b""
        self.stderr = b""

    @property
    def init_pid(self) -> int:
        if self._init_pid is None:
            wait_for(lambda: bool(children(self.process.pid)), what="the namespace's PID 1")
            self._init_pid = children(self.process.pid)[0]
        return self._init_pid

    def main_child(self) -> int:
        """Host PID of the program the init runs."""
        wait_for(lambda: bool(children(self.init_pid)), what="the init's child")
        return children(self.init_pid)[0]

    def wait_child_forked(self) -> int:
        """As soon as the init has forked its child (it blocks every signal before the
        fork, so a signal sent from now on must reach the child). The child may not have
        exec'd its program yet. (SigBlk in /proc cannot tell: sigwaitinfo unblocks the
        waited signals while it waits.)"""
        wait_for(lambda: bool(children(self.init_pid)), timeout=DEFAULT_TIMEOUT, what="fork")
        return children(self.init_pid)[0]

    def kill(self, signo: int) -> None:
        os.kill(self.init_pid, signo)

    def wait(self, timeout: float = DEFAULT_TIMEOUT) -> int:
        """Exit status of the init (unshare passes it through)."""
        self.stdout, self.stderr = self.process.communicate(timeout=timeout)
        return self.process.returncode

    def close(self) -> None:
        """SIGKILL unshare, the init and everything below them (the namespace goes with its
        PID 1), then collect the exit status."""
        if self.process.poll() is None:
            kill_tree(self.process.pid)
            self.process.communicate(timeout=DEFAULT_TIMEOUT)

    def __enter__(self) -> InitRun:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def run_init(
    init_args: Sequence[str], *, timeout: float = DEFAULT_TIMEOUT, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    """Run the init as PID 1 of a new namespace to completion; returns code and output."""
    with InitRun(init_args, **kwargs) as run:  # type: ignore[arg-type]
        code = run.wait(timeout)
        return subprocess.CompletedProcess(
            run.process.args,
            code,
            run.stdout.decode(errors="replace"),
            run.stderr.decode(errors="replace"),
        )
