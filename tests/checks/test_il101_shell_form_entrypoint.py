from __future__ import annotations

from initlint.model import Applicability, Severity, ToExecForm
from tests.checks.lint_helpers import none, one


def test_debian_base_dash_stays_pid1() -> None:
    finding = one(
        "IL101",
        """
        FROM python:3.12-slim
        COPY app.py /app.py
        ENTRYPOINT python3 /app.py
        """,
    )
    assert finding.severity is Severity.ERROR
    assert (finding.span.line, finding.span.column) == (3, 1)
    assert finding.message == (
        'ENTRYPOINT is in shell form: /bin/sh (dash) will be PID 1 running "python3 /app.py" '
        "and docker stop will wait the whole grace period, then SIGKILL"
    )
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.SAFE
    assert isinstance(finding.fix.intent, ToExecForm)
    assert finding.fix.intent.words == ("python3", "/app.py")


def test_alpine_base_busybox_execs_the_app_without_a_handler() -> None:
    finding = one("IL101", "FROM python:3.12-alpine\nENTRYPOINT python3 /app.py\n")
    assert "python3 will be PID 1 (/bin/sh (busybox ash) execs it)" in finding.message
    assert "unless python3 installs a SIGTERM handler" in finding.message
    assert "whole grace period" in finding.message


def test_shell_bash_execs_the_app() -> None:
    finding = one(
        "IL101",
        """
        FROM debian:12
        SHELL ["/bin/bash", "-c"]
        ENTRYPOINT node server.js
        """,
    )
    assert finding.span.line == 3
    assert "node will be PID 1 (/bin/bash execs it)" in finding.message


def test_shell_set_after_the_entrypoint_does_not_change_it() -> None:
    finding = one(
        "IL101",
        """
        FROM debian:12
        ENTRYPOINT node server.js
        SHELL ["/bin/bash", "-c"]
        """,
    )
    assert "/bin/sh (dash) will be PID 1" in finding.message


def test_unknown_base_and_unknown_program_say_nothing() -> None:
    # dash would stay PID 1, bash or ash would exec ./run, which may handle SIGTERM
    none("IL101", "FROM registry.example.com/team/base:1\nENTRYPOINT ./run\n")


def test_unknown_base_with_python_is_bad_with_every_shell() -> None:
    # dash stays PID 1; bash or ash exec python3, which has no SIGTERM handler by default
    one("IL101", "FROM registry.example.com/team/base:1\nENTRYPOINT python3 app.py\n")


def test_unknown_base_says_the_shell_is_unknown() -> None:
    # whether dash stays or bash execs sleep, docker stop waits the whole grace period
    finding = one("IL101", "FROM registry.example.com/team/base:1\nENTRYPOINT sleep infinity\n")
    assert "unknown shell" in finding.message
    assert "registry.example.com/team/base:1 is unknown" in finding.message


def test_cmd_in_the_final_stage_makes_the_fix_unsafe() -> None:
    finding = one("IL101", "FROM debian\nENTRYPOINT python3 app.py\nCMD --verbose\n")
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.UNSAFE


def test_cmd_before_entrypoint_in_same_stage_also_unsafe() -> None:
    finding = one("IL101", "FROM debian\nCMD --verbose\nENTRYPOINT python3 app.py\n")
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.UNSAFE


def test_inherited_cmd_reset_by_entrypoint_keeps_the_fix_safe() -> None:
    finding = one(
        "IL101",
        """
        FROM debian AS base
        CMD ["--verbose"]
        FROM base
        ENTRYPOINT python3 app.py
        """,
    )
    assert finding.span.line == 4
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.SAFE


def test_entrypoint_inherited_from_an_earlier_stage() -> None:
    finding = one(
        "IL101",
        """
        FROM ubuntu:22.04 AS base
        ENTRYPOINT python3 app.py
        FROM base
        RUN true
        """,
    )
    assert finding.span.line == 2
    assert "inherited from stage base" in finding.message


def test_script_needing_a_shell_has_no_fix() -> None:
    finding = one("IL101", "FROM debian\nENTRYPOINT python3 app.py --port $PORT\n")
    assert finding.fix is None


def test_leading_exec_is_dropped_by_the_fix() -> None:
    finding = one("IL101", "FROM debian\nENTRYPOINT exec python3 app.py\n")
    assert "python3 will be PID 1 (exec'd by /bin/sh (dash))" in finding.message
    assert finding.fix is not None
    assert isinstance(finding.fix.intent, ToExecForm)
    assert finding.fix.intent.words == ("python3", "app.py")


def test_no_shell_in_the_image() -> None:
    finding = one("IL101", "FROM gcr.io/distroless/python3-debian12\nENTRYPOINT python3 a.py\n")
    assert "has no shell: the container will not start" in finding.message


def test_invalid_json_entrypoint() -> None:
    finding = one("IL101", 'FROM debian\nENTRYPOINT ["python3", "app.py",]\n')
    assert "trailing comma" in finding.message
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.UNSAFE
    assert isinstance(finding.fix.intent, ToExecForm)
    assert finding.fix.intent.words == ("python3", "app.py")


def test_exec_form_and_missing_entrypoint_are_fine() -> None:
    none("IL101", 'FROM debian\nENTRYPOINT ["python3", "app.py"]\n')
    none("IL101", "FROM debian\nCMD python3 app.py\n")


def test_only_the_target_stage_counts() -> None:
    text = """
        FROM debian AS build
        ENTRYPOINT make
        FROM debian
        ENTRYPOINT ["/app"]
        """
    none("IL101", text)
    assert one("IL101", text, target="build").span.line == 2


def test_continuation_lines_keep_the_span() -> None:
    finding = one("IL101", "FROM debian\n  ENTRYPOINT python3 \\\n    app.py\n")
    assert (finding.span.line, finding.span.column, finding.span.end_line) == (2, 3, 3)
    assert '"python3 app.py"' in finding.message
