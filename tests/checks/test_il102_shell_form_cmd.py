from __future__ import annotations

import pytest

from initlint.model import Applicability, Severity, ToExecForm
from tests.checks.lint_helpers import findings, none, one


def test_cmd_as_pid1_on_debian() -> None:
    finding = one("IL102", "FROM python:3.12\nWORKDIR /app\nCMD python3 app.py\n")
    assert finding.severity is Severity.ERROR
    assert (finding.span.line, finding.span.column) == (3, 1)
    assert finding.message == (
        'CMD is in shell form: /bin/sh (dash) will be PID 1 running "python3 app.py" and '
        "docker stop will wait the whole grace period, then SIGKILL"
    )
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.SAFE
    assert isinstance(finding.fix.intent, ToExecForm)
    assert finding.fix.intent.words == ("python3", "app.py")


def test_cmd_on_alpine_names_the_app_as_pid1() -> None:
    finding = one("IL102", "FROM node:20-alpine\nCMD node server.js\n")
    assert "node will be PID 1 (/bin/sh (busybox ash) execs it)" in finding.message


def test_busybox_execs_a_server_that_handles_sigterm() -> None:
    # busybox ash execs redis-server: PID 1 is what exec form would give, nothing to report
    none("IL102", "FROM redis:7-alpine\nCMD redis-server --appendonly yes\n")


def test_busybox_execs_an_unknown_program() -> None:
    # vimagick/dockerfiles style: `CMD aria2c --conf-path=...` on Alpine; unknown stays unknown
    none("IL102", "FROM alpine:3.20\nCMD aria2c --conf-path=/etc/aria2/aria2.conf\n")


def test_busybox_execs_sleep() -> None:
    finding = one("IL102", "FROM alpine:3.20\nCMD sleep infinity\n")
    assert "sleep has no SIGTERM handler" in finding.message


def test_cmd_appended_to_exec_entrypoint() -> None:
    finding = one(
        "IL102",
        """
        FROM python:3.12
        ENTRYPOINT ["tini", "--"]
        CMD python3 app.py
        """,
    )
    assert finding.span.line == 3
    assert 'the ENTRYPOINT gets /bin/sh -c "python3 app.py" as its arguments' in finding.message
    assert "tini will be PID 1 running /bin/sh (dash)" in finding.message
    assert "forwarded to /bin/sh (dash), not to python3" in finding.message


def test_cmd_after_shell_form_entrypoint_is_il106_not_il102() -> None:
    none("IL102", "FROM debian\nENTRYPOINT ./run\nCMD python3 app.py\n")


def test_cmd_inherited_from_an_earlier_stage() -> None:
    finding = one(
        "IL102",
        """
        FROM debian:12 AS base
        CMD python3 app.py
        FROM base
        RUN true
        """,
    )
    assert finding.span.line == 2
    assert "inherited from stage base" in finding.message


def test_cmd_reset_by_entrypoint_in_a_later_stage_is_not_reported() -> None:
    none(
        "IL102",
        """
        FROM debian:12 AS base
        CMD python3 app.py
        FROM base
        ENTRYPOINT ["/app"]
        """,
    )


@pytest.mark.parametrize(
    "command",
    [
        "python3 app.py --port $PORT",
        "cd /app && python3 app.py",
        "python3 app.py; echo done",
        "python3 app.py | tee /log",
        "python3 app.py > /log",
        "python3 *.py",
        "python3 app.py \\\\ x",
        "VAR=1 python3 app.py",
        "python3 ~/app.py",
    ],
)
def test_commands_that_need_a_shell_get_no_fix(command: str) -> None:
    found = findings("IL102", f"FROM debian\nCMD {command}\n")
    for finding in found:
        assert finding.fix is None, command


def test_quotes_that_only_group_words_are_plain() -> None:
    finding = one("IL102", "FROM nginx:1.27\nCMD nginx -g 'daemon off;'\n")
    assert finding.fix is not None
    assert isinstance(finding.fix.intent, ToExecForm)
    assert finding.fix.intent.words == ("nginx", "-g", "daemon off;")


def test_explicit_exec_as_pid1_command_is_fine() -> None:
    none("IL102", "FROM debian\nCMD exec python3 app.py\n")


def test_invalid_json_gets_a_specific_message() -> None:
    finding = one("IL102", 'FROM debian\nCMD ["python3", "app.py",]\n')
    assert finding.message.startswith("CMD looks like exec form but it has a trailing comma")
    assert "/bin/sh (dash) will be PID 1" in finding.message
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.UNSAFE
    assert isinstance(finding.fix.intent, ToExecForm)
    assert finding.fix.intent.words == ("python3", "app.py")


def test_single_quoted_json() -> None:
    finding = one("IL102", "FROM debian\nCMD ['python3', 'app.py']\n")
    assert "single quotes" in finding.message


def test_shell_test_bracket_is_not_mistaken_for_json() -> None:
    finding = one("IL102", "FROM debian\nCMD [ -f /ready ] && python3 app.py\n")
    assert "JSON" not in finding.message


def test_no_shell_in_image() -> None:
    finding = one("IL102", "FROM scratch\nCOPY app /app\nCMD /app --serve\n")
    assert "the container will not start" in finding.message
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.SAFE


def test_exec_form_cmd_is_fine() -> None:
    none("IL102", 'FROM debian\nCMD ["python3", "app.py"]\n')
    none("IL102", "FROM debian\nRUN echo hi\n")


def test_windows_shell_is_not_judged() -> None:
    none(
        "IL102",
        'FROM mcr.microsoft.com/windows/servercore\nSHELL ["cmd", "/S", "/C"]\nCMD app.exe\n',
    )
    none(
        "IL101",
        'FROM mcr.microsoft.com/windows/servercore\nSHELL ["powershell", "-Command"]\n'
        "ENTRYPOINT app.exe\n",
    )
