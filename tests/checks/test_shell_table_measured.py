"""The shell table (rules/IL103.md) that IL101-IL103 rely on, checked against the real shells.

Each script ends by running a probe that prints its own PID; when the shell exec'd the probe,
that PID is the shell's. The verdict initlint predicts must match what the shell really did,
or be "unknown" (no prediction). The shells run as ordinary children and exit on their own.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from initlint.model import ShellFamily, ShellVerdict
from initlint.pid1.inline import analyse_script
from tests.support import skip_or_fail

SHELLS = {
    ShellFamily.BASH: ["bash", "-c"],
    ShellFamily.DASH: ["dash", "-c"],
    ShellFamily.ASH: ["busybox", "sh", "-c"],
}
P = "PROBE"
SCRIPTS = [
    f"{P}",
    f"cd /tmp && {P}",
    f"true; {P}",
    f"V=1 {P}",
    f"{P} | cat",
    f"trap 'echo t' TERM; {P}",
    f"trap 'echo t' EXIT; {P}",
    f"trap - TERM; {P}",
    f"trap '' TERM; {P}",
    f"false || {P}",
    f"true & {P}",
    f"true\n{P}",
    f"true\n{P}\n",
    f"{P}\n\n",
    f"{P}  # comment",
    f"{P}\n# comment",
    f"! {P}",
    f"exec 2>&1; {P}",
    f"{P} 2>&1",
    f"{P} >/dev/null",
    f"{P} </dev/null",
    f"f() {{ :; }}; {P}",
    f"echo start; cd /tmp && {P}",
    f"true\ncd /tmp && {P}",
    f"true; true & {P}",
    f"true & true; {P}",
    f"X=$(true); {P}",
    f"true && true && {P}",
    f"exec {P}",
    f"cd / && exec {P}",
    f"true; {P};",
]


def _probe() -> str:
    return f"{sys.executable} -I -S -c 'import os; print(os.getpid())'"


def _pid1_is_program(argv: list[str], script: str) -> bool:
    with subprocess.Popen(
        [*argv, script.replace(P, _probe())], stdout=subprocess.PIPE, text=True
    ) as process:
        try:
            out, _ = process.communicate(timeout=20)
        finally:
            process.kill()
    printed = out.split()
    return bool(printed) and printed[-1] == str(process.pid)


@pytest.mark.parametrize("family", list(SHELLS), ids=lambda f: f.value)
def test_predictions_match_the_real_shell(family: ShellFamily) -> None:
    argv = SHELLS[family]
    if shutil.which(argv[0]) is None:
        skip_or_fail(f"{argv[0]} is not installed")
    wrong: list[str] = []
    predicted = 0
    for script in SCRIPTS:
        analysis = analyse_script(script.replace(P, "probe"), family)
        if analysis is None:
            continue
        predicted += 1
        execs = analysis.verdict in (ShellVerdict.EXECS, ShellVerdict.EXPLICIT_EXEC)
        if execs != _pid1_is_program(argv, script):
            wrong.append(f"{script!r}: predicted {analysis.verdict.value}")
    assert wrong == []
    assert predicted >= len(SCRIPTS) - 6  # most rows get a prediction
