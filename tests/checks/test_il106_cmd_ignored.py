from __future__ import annotations

from initlint.model import Severity
from tests.checks.lint_helpers import none, one


def test_cmd_after_shell_form_entrypoint() -> None:
    finding = one(
        "IL106",
        """
        FROM python:3.12
        ENTRYPOINT python3 app.py
        CMD ["--port", "80"]
        """,
    )
    assert finding.severity is Severity.WARNING
    assert (finding.span.line, finding.span.column) == (3, 1)
    assert finding.message == (
        "CMD never runs, because the ENTRYPOINT (line 2) is in shell form: /bin/sh (dash) will "
        'be PID 1 running "python3 app.py" and docker stop will wait the whole grace period, '
        "then SIGKILL"
    )
    assert finding.fix is None


def test_cmd_before_the_entrypoint_in_the_same_stage() -> None:
    finding = one("IL106", "FROM debian\nCMD --verbose\nENTRYPOINT ./run\n")
    assert finding.span.line == 2


def test_entrypoint_inherited_cmd_in_final_stage() -> None:
    finding = one(
        "IL106",
        """
        FROM alpine AS base
        ENTRYPOINT ./run
        FROM base
        CMD ["--fast"]
        """,
    )
    assert finding.span.line == 4
    assert "(line 2, inherited from stage base)" in finding.message
    assert "/bin/sh (busybox ash) execs it" in finding.message


def test_cmd_reset_by_the_entrypoint() -> None:
    none(
        "IL106",
        """
        FROM debian AS base
        CMD ["--fast"]
        FROM base
        ENTRYPOINT ./run
        """,
    )


def test_exec_form_entrypoint_uses_cmd() -> None:
    none("IL106", 'FROM debian\nENTRYPOINT ["./run"]\nCMD ["--fast"]\n')
    none("IL106", "FROM debian\nENTRYPOINT ./run\n")


def test_empty_exec_cmd_clears_the_inherited_one() -> None:
    # `CMD []` after a shell-form ENTRYPOINT (seen in vendor images): nothing is dropped
    none("IL106", "FROM debian:12\nENTRYPOINT /usr/local/bin/run.sh\nCMD []\n")
