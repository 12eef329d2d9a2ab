"""Many inputs are linted in worker processes: the same report as one process, and Ctrl-C
still ends everything with one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from initlint.pipeline_workers import MIN_INPUTS_PER_WORKER, worker_count

SHELL_CMD = "FROM debian:12\nCMD python3 /app.py\n"
SCRIPT_ENTRYPOINT = (
    'FROM debian:12\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["server"]\n'
)
SCRIPT = '#!/bin/sh\nset -e\nif [ "$1" = server ]; then\n  prepare\nfi\n"$@"\n'
EXEC_FORM = 'FROM debian:12\nCMD ["/usr/local/bin/server"]\n'
BROKEN = "FROM debian:12\nFROBNICATE x\n"  # BuildKit: unknown instruction


def _project(root: Path, copies: int) -> None:
    for index in range(copies):
        for name, dockerfile in (("shell", SHELL_CMD), ("script", SCRIPT_ENTRYPOINT),
                                 ("exec", EXEC_FORM)):  # fmt: skip
            folder = root / f"svc{index:04d}-{name}"
            folder.mkdir(parents=True)
            (folder / "Dockerfile").write_text(dockerfile, encoding="utf-8")
            if name == "script":
                (folder / "entrypoint.sh").write_text(SCRIPT, encoding="utf-8")
    (root / "broken").mkdir()
    (root / "broken" / "Dockerfile").write_text(BROKEN, encoding="utf-8")


def _initlint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "initlint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_workers_only_when_every_worker_gets_enough_inputs() -> None:
    assert worker_count(0, MIN_INPUTS_PER_WORKER - 1) == 1  # pre-commit's few files
    assert worker_count(4, 2 * MIN_INPUTS_PER_WORKER) == 2
    assert worker_count(4, 100 * MIN_INPUTS_PER_WORKER) == 4
    assert worker_count(1, 100 * MIN_INPUTS_PER_WORKER) == 1  # --jobs 1: this process


def test_workers_give_the_report_one_process_gives(tmp_path: Path) -> None:
    _project(tmp_path, copies=2 * MIN_INPUTS_PER_WORKER)
    for output_format in ("json", "text"):
        alone = _initlint(tmp_path, "--jobs", "1", "-f", output_format, ".")
        shared = _initlint(tmp_path, "--jobs", "2", "-f", output_format, ".")
        assert alone.returncode == shared.returncode == 2  # the broken Dockerfile
        assert shared.stdout == alone.stdout
        assert shared.stderr == alone.stderr
        assert "broken/Dockerfile:2: error:" in shared.stderr
        assert shared.stdout.count("IL102") == alone.stdout.count("IL102") > 0
        assert "IL301" in shared.stdout


def _session_processes(session: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == session and fields[0] != "Z":  # field 6 of stat: session id
                found.append(int(entry))
    return found


def test_ctrl_c_during_workers_exits_130_and_leaves_no_process(tmp_path: Path) -> None:
    _project(tmp_path, copies=1000)
    process = subprocess.Popen(
        [sys.executable, "-m", "initlint", "--jobs", "2", "-f", "json", "."],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while len(_session_processes(process.pid)) < 3:  # the command and its two workers
            assert process.poll() is None, "finished before its workers were seen"
            assert time.monotonic() < deadline, "no worker processes within 120 s"
            time.sleep(0.01)
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 130
        assert stderr == "initlint: interrupted\n"
        deadline = time.monotonic() + 10
        while _session_processes(process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _session_processes(process.pid) == []
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
