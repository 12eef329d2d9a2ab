"""Behaviour that tini's and dumb-init's own suites check, in our words: where the init and its
program stand in the file system, shell job control under the name dumb-init, and the line
`-w` logs for each zombie. Each runs under every name the init answers to."""

from __future__ import annotations

import functools
import os
import re
import signal
import time
from pathlib import Path

import pytest

from tests.init.helpers import program
from tests.init.test_init_pid1 import signals_after_ready, wait_ready
from tests.support.pidns import (
    INIT_PY,
    InitRun,
    children,
    init_argv,
    proc_state,
    run_init,
    wait_for,
)

pytestmark = [pytest.mark.pidns, pytest.mark.usefixtures("require_pidns")]

NAMES = ["initlint-init", "tini", "dumb-init"]


def script_named(tmp_path: Path, name: str) -> Path:
    if name == "initlint-init":
        return INIT_PY
    link = tmp_path / name
    if not link.exists():
        link.symlink_to(INIT_PY)
    return link


# --- working directory -----------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_program_starts_in_the_start_folder_and_the_init_holds_none(
    tmp_path: Path, name: str
) -> None:
    # The init is PID 1 of the namespace. Its own folder must not be the start folder: an
    # init that sits in a folder for the container's whole life keeps that mount busy.
    start = tmp_path / "start"
    start.mkdir()
    report = "sleep 0.2; readlink /proc/$$/cwd /proc/1/cwd"
    result = run_init(
        ["--", "sh", "-c", report],
        script=script_named(tmp_path, name),
        preexec_fn=functools.partial(os.chdir, start),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [os.path.realpath(start), "/"]


def test_a_relative_program_path_is_found_from_the_start_folder(tmp_path: Path) -> None:
    (tmp_path / "app").write_text("#!/bin/sh\necho from-app\n")
    (tmp_path / "app").chmod(0o755)
    result = run_init(["--", "./app"], preexec_fn=functools.partial(os.chdir, tmp_path))
    assert (result.returncode, result.stdout) == (0, "from-app\n")


# --- job control -----------------------------------------------------------------------------
# A shell stops a job by sending SIGTSTP (Ctrl-Z) and waits until the job's process is stopped;
# `fg` sends SIGCONT. Under the name dumb-init the init passes the signal on and then stops
# itself, so the shell sees the job stop. The init runs as the child of a PID 1 here, as under
# a shell: a namespace's PID 1 cannot be stopped at all.

TSTP, CONT = int(signal.SIGTSTP), int(signal.SIGCONT)
JOB_CONTROL = {
    # how the inner init runs: (arguments, environment, whether it stops itself, what the
    # program records). In its own session the program has no terminal that could stop it,
    # so dumb-init sends it SIGSTOP (which cannot be recorded) for SIGTSTP.
    "dumb-init": ([], {}, True, [CONT]),
    "dumb-init -c": (["-c"], {}, True, [TSTP, CONT]),
    "dumb-init DUMB_INIT_SETSID=0": ([], {"DUMB_INIT_SETSID": "0"}, True, [TSTP, CONT]),
    "tini": ([], {}, False, [TSTP, CONT]),
    "initlint-init": ([], {}, False, [TSTP, CONT]),
}


@pytest.mark.parametrize("how", list(JOB_CONTROL))
def test_sigtstp_suspends_a_dumb_init_job_and_sigcont_resumes_it(tmp_path: Path, how: str) -> None:
    args, env, stops_itself, recorded = JOB_CONTROL[how]
    out = tmp_path / "signals"
    script = script_named(tmp_path, how.split()[0])
    inner = init_argv(*args, "--", *program("recorder", str(out)), script=script)
    with InitRun(["--", *inner], env={**os.environ, **env}) as run:
        job = run.main_child()  # the inner init, PID 2 of the namespace
        wait_ready(out)
        (program_pid,) = children(job)
        os.kill(job, signal.SIGTSTP)
        if stops_itself:
            wait_for(lambda: proc_state(job) == "T", what="the job to stop")
        if recorded[0] == TSTP:
            wait_for(lambda: signals_after_ready(out) == [TSTP], what="SIGTSTP to arrive")
        else:
            wait_for(lambda: proc_state(program_pid) == "T", what="the program to stop")
        if not stops_itself:
            time.sleep(0.2)  # time enough to have stopped itself, had it been going to
            assert proc_state(job) != "T"
        os.kill(job, signal.SIGCONT)
        wait_for(lambda: signals_after_ready(out) == recorded, what="SIGCONT to arrive")
        # the init passed SIGCONT on, so it runs; the program recorded it, so it runs
        assert proc_state(job) != "T" and proc_state(program_pid) != "T"
        os.kill(job, signal.SIGTERM)
        assert run.wait() == 0  # the recorder exits 0 on SIGTERM; both inits pass that on


# --- -w --------------------------------------------------------------------------------------

ORPHAN_ONE = ["--", "sh", "-c", "(sleep 0 &); sleep 0.5"]  # the subshell orphans `sleep 0`


@pytest.mark.parametrize("name", NAMES)
def test_w_logs_tinis_line_for_each_zombie_and_nothing_without_w(tmp_path: Path, name: str) -> None:
    script = script_named(tmp_path, name)
    with_w = run_init(["-w", *ORPHAN_ONE], script=script)
    assert with_w.returncode == 0
    # the words tini uses, so that a script that reads tini's log reads ours
    assert re.search(r"Reaped zombie process with pid=\d+\n", with_w.stderr), with_w.stderr
    without = run_init(ORPHAN_ONE, script=script)
    assert (without.returncode, without.stderr) == (0, "")
