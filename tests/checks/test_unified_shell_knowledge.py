"""Where the two shell readers used to disagree, and one knowledge module now decides.

Before, entrypoint scripts (tree-sitter) and ``sh -c`` strings (the small parser) each kept
their own builtins list and their own idea of a TERM trap: a script's ``trap '' TERM``,
``trap - TERM`` or INT-only trap counted as handling docker stop's SIGTERM, and a script
ending in ``ulimit``/``umask``/``test`` was taken to end by running a program.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from initlint.knowledge.shells import trapped_signals
from initlint.model import ShellFamily, ShellVerdict
from initlint.pid1.inline import analyse_script as analyse_inline
from initlint.pid1.script import analyse_script
from tests.evidence.lint import lint

DOCKERFILE = 'FROM debian:12\nCOPY s.sh /s.sh\nCMD ["/s.sh"]\n'


def rules(tmp_path: Path, script: str) -> list[str]:
    (tmp_path / "s.sh").write_text(script)
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    return sorted(f.rule_id for f in lint(tmp_path / "Dockerfile"))


@pytest.mark.parametrize(
    ("words", "signals"),
    [
        (["trap", "cleanup", "TERM", "INT"], frozenset({15, 2})),
        (["trap", "cleanup", "SIGTERM"], frozenset({15})),
        (["trap", "cleanup", "EXIT"], frozenset({0})),
        (["trap", "", "TERM"], None),  # ignore: no handler runs
        (["trap", "-", "TERM"], None),  # reset to the default
        (["trap"], None),
    ],
)
def test_one_reading_of_trap(words: list[str], signals: frozenset[int] | None) -> None:
    assert trapped_signals(words) == signals


@pytest.mark.parametrize(
    "trap", ["trap '' TERM", "trap - TERM", "trap 'echo bye' INT", "trap 'echo bye' EXIT"]
)
def test_a_script_trap_that_runs_no_term_handler_does_not_quiet_il301(
    tmp_path: Path, trap: str
) -> None:
    script = f"#!/bin/sh\n{trap}\npython3 /app.py\n"
    assert analyse_script(script, "s.sh", "/s.sh", "sh").traps_term is False
    assert rules(tmp_path, script) == ["IL301"]


def test_a_term_trap_does_not_quiet_il301(tmp_path: Path) -> None:
    # measured (tests/truth, script.*.exit.program): the shell runs its trap only once the
    # foreground program ends, so the stop still waits out the grace period
    script = "#!/bin/sh\ntrap 'kill -TERM $child' TERM\npython3 /app.py\n"
    assert analyse_script(script, "s.sh", "/s.sh", "sh").traps_term is True
    assert rules(tmp_path, script) == ["IL301"]


def test_an_int_only_trap_with_jobs_and_no_wait_is_il302(tmp_path: Path) -> None:
    script = "#!/bin/sh\ntrap 'kill $pid' INT\nworker &\npid=$!\nsleep infinity\n"
    assert analyse_script(script, "s.sh", "/s.sh", "sh").trapped == frozenset({2})
    assert rules(tmp_path, script) == ["IL302"]
    # a TERM trap does not run behind the foreground `sleep infinity` (measured), `wait` does
    with_term = script.replace("INT", "TERM")
    assert rules(tmp_path, with_term) == ["IL302"]
    assert rules(tmp_path, with_term.replace("sleep infinity", "wait")) == []


@pytest.mark.parametrize("last", ["ulimit -n 4096", "umask 022", "test -f /ready", "[ -d /x ]"])
def test_a_script_ending_in_a_builtin_does_not_end_by_running_the_program(
    tmp_path: Path, last: str
) -> None:
    script = f"#!/bin/sh\npython3 /app.py\n{last}\n"
    assert analyse_script(script, "s.sh", "/s.sh", "sh").last_is_builtin is True
    assert rules(tmp_path, script) == []


@pytest.mark.parametrize("last", ["ulimit -n 4096", "umask 022", "test -f /ready"])
def test_the_same_builtins_end_a_sh_c_string(last: str) -> None:
    assert analyse_inline(f"python3 /app.py; {last}", ShellFamily.DASH) is None
    found = analyse_inline(f"{last}; python3 /app.py", ShellFamily.DASH)
    assert found is not None and found.verdict is ShellVerdict.STAYS
