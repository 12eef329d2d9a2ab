"""Proof in real processes: the original program, run as PID 1 of a PID namespace, ignores
SIGTERM; the program as initlint fixed it stops on SIGTERM.

Each run is `unshare --pid --fork --mount-proc --kill-child ...` in its own session; the
namespace's PID 1 is what the container's PID 1 would be. `finally` SIGKILLs the namespace's
PID 1 (which takes everything in the namespace with it) and unshare.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from initlint.fixes.dockerfile import dockerfile_fixer
from initlint.fixes.plan import FixPlan
from initlint.fixes.python_codemod import add_sigterm_handler
from tests.evidence.lint import lint
from tests.support.pidns import children, kill_tree, wait_for

pytestmark = pytest.mark.pidns

STILL_RUNNING_AFTER = 1.5  # seconds a program that ignores SIGTERM is given to prove it
STOPS_WITHIN = 5.0

APP = """\
import time

print("ready", flush=True)
while True:
    time.sleep(0.05)
"""

HANDLING_APP = """\
import signal
import sys
import time


def stop(signum, frame):
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
print("ready", flush=True)
while True:
    time.sleep(0.05)
"""


class Pid1Run:
    """``argv`` as PID 1 of a new PID namespace."""

    def __init__(self, argv: Sequence[str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", *argv],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(lambda: bool(children(self.process.pid)), what="the namespace's PID 1")
        self.pid1 = children(self.process.pid)[0]

    def wait_ready(self) -> None:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line == b"ready\n", (line, self.process.stderr)

    def sigterm_stops_it(self) -> bool:
        """Send SIGTERM to PID 1; True when the namespace ended within STOPS_WITHIN."""
        os.kill(self.pid1, signal.SIGTERM)
        try:
            self.process.wait(timeout=STILL_RUNNING_AFTER)
            return True
        except subprocess.TimeoutExpired:
            pass
        if self.process.poll() is None and Path(f"/proc/{self.pid1}").exists():
            return False
        self.process.wait(timeout=STOPS_WITHIN)
        return True

    def close(self) -> None:
        if self.process.poll() is None:
            kill_tree(self.process.pid)
        self.process.communicate(timeout=STOPS_WITHIN)


def run_as_pid1(argv: Sequence[str], cwd: Path) -> bool:
    run = Pid1Run(argv, cwd)
    try:
        run.wait_ready()
        return run.sigterm_stops_it()
    finally:
        run.close()


def test_python_codemod_makes_sigterm_stop_the_app(require_pidns: None, tmp_path: Path) -> None:
    original = tmp_path / "app.py"
    original.write_text(APP)
    fixed_source = add_sigterm_handler(APP)
    assert fixed_source is not None
    fixed = tmp_path / "fixed_app.py"
    fixed.write_text(fixed_source)

    started = time.monotonic()
    assert not run_as_pid1([sys.executable, str(original)], tmp_path), (
        "the original app stopped on SIGTERM as PID 1"
    )
    assert run_as_pid1([sys.executable, str(fixed)], tmp_path), "the fixed app ignored SIGTERM"
    assert time.monotonic() - started < 2 * STOPS_WITHIN


def test_il301_fix_makes_sigterm_reach_the_app(require_pidns: None, tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (root / "app.py").write_text(HANDLING_APP)
    script = root / "entrypoint.sh"
    script.write_text(f'#!/bin/sh\nset -e\necho starting >&2\n{sys.executable} -u app.py "$@"\n')
    script.chmod(0o755)
    (root / "Dockerfile").write_text(
        'FROM debian:12\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["/app/entrypoint.sh"]\n'
    )
    findings = [f for f in lint(root / "Dockerfile") if f.rule_id == "IL301"]
    assert len(findings) == 1
    fixer = dockerfile_fixer((root / "Dockerfile").read_text(), str(root / "Dockerfile"))
    plan = fixer.plan(findings[0])
    assert isinstance(plan, FixPlan)
    (write,) = plan.writes
    fixed = root / "fixed-entrypoint.sh"
    fixed.write_text(write.content)
    fixed.chmod(0o755)
    assert write.content.endswith(f'exec {sys.executable} -u app.py "$@"\n')

    assert not run_as_pid1([str(script)], root), "sh as PID 1 passed SIGTERM on"
    assert run_as_pid1([str(fixed)], root), "the app did not stop after exec"


ORPHAN_MAKER = """\
import subprocess
import time

print("ready", flush=True)
while True:
    subprocess.run(["sh", "-c", "sleep 0.05 &"])
    time.sleep(0.05)
"""


def zombies_in_namespace(pid1: int) -> int:
    from tests.support.pidns import count_zombies_in_namespace

    return count_zombies_in_namespace(pid1)


def test_il201_app_leaves_zombies_and_the_injected_init_reaps_them(
    require_pidns: None, tmp_path: Path
) -> None:
    """The IL201 finding and its fix, in real processes: the app as PID 1 piles up zombies;
    behind the init that the fix injects (the same file, run the same way) there are none."""
    (tmp_path / "app.py").write_text(ORPHAN_MAKER)
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text('FROM python:3.12-slim\nCOPY app.py /app.py\nCMD ["python", "/app.py"]\n')
    (finding,) = [f for f in lint(dockerfile) if f.rule_id == "IL201"]
    fixer = dockerfile_fixer(dockerfile.read_text(), str(dockerfile))
    plan = fixer.plan(finding)
    assert isinstance(plan, FixPlan)
    (init_file,) = [Path(w.path) for w in plan.writes]
    init_file.write_text(plan.writes[0].content)
    assert '"-I", "-S", "/usr/local/bin/initlint-init", "--"' in fixer.source.apply(plan.edits)

    app = [sys.executable, str(tmp_path / "app.py")]
    for argv, expect_zombies in (
        (app, True),
        ([sys.executable, "-I", "-S", str(init_file), "--", *app], False),
    ):
        run = Pid1Run(argv, tmp_path)
        try:
            run.wait_ready()
            time.sleep(1.5)
            zombies = zombies_in_namespace(run.pid1)
        finally:
            run.close()
        assert (zombies >= 3) if expect_zombies else (zombies == 0), (argv, zombies)
