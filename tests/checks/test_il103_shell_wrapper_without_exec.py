from __future__ import annotations

import pytest

from initlint.model import Applicability, InsertExec, Severity
from tests.checks.lint_helpers import none, one


def test_dash_never_execs() -> None:
    finding = one(
        "IL103",
        """
        FROM python:3.12-slim
        CMD ["sh", "-c", "cd /app && python3 app.py"]
        """,
    )
    assert finding.severity is Severity.WARNING
    # the span is the script string inside the JSON array
    assert (finding.span.line, finding.span.column) == (2, 18)
    assert finding.message == (
        "CMD runs sh (dash) -c without exec before its last command (dash never execs the last "
        'command itself): sh (dash) will be PID 1 running "python3 app.py" and docker stop '
        "will wait the whole grace period, then SIGKILL"
    )
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.SAFE
    intent = finding.fix.intent
    assert isinstance(intent, InsertExec)
    assert intent.word.value[: intent.offset] + "exec " + intent.word.value[intent.offset :] == (
        "cd /app && exec python3 app.py"
    )


@pytest.mark.parametrize(
    "script",
    ["python3 app.py", "cd /app && python3 app.py", "a; python3 app.py", "V=1 python3 app.py"],
)
def test_busybox_and_bash_exec_a_plain_last_command(script: str) -> None:
    none("IL103", f'FROM alpine:3.20\nCMD ["sh", "-c", "{script}"]\n')
    none("IL103", f'FROM debian\nCMD ["bash", "-c", "{script}"]\n')


@pytest.mark.parametrize(
    "script",
    ["python3 app.py", "cd /app && python3 app.py", "a; python3 app.py", "V=1 python3 app.py"],
)
def test_dash_stays_for_every_row_of_the_table(script: str) -> None:
    finding = one("IL103", f'FROM ubuntu:24.04\nENTRYPOINT ["/bin/sh", "-c", "{script}"]\n')
    assert "dash never execs" in finding.message


def test_assignment_prefix_gets_exec_after_it() -> None:
    finding = one("IL103", 'FROM debian\nCMD ["sh", "-c", "V=1 python3 app.py"]\n')
    assert finding.fix is not None
    intent = finding.fix.intent
    assert isinstance(intent, InsertExec)
    assert intent.word.value[intent.offset :] == "python3 app.py"


def test_pipe_keeps_every_shell_and_has_no_fix() -> None:
    finding = one("IL103", 'FROM alpine\nCMD ["sh", "-c", "python3 app.py | tee /log"]\n')
    assert "every shell stays as the parent of a pipeline" in finding.message
    assert 'running "python3 app.py | tee /log"' in finding.message
    assert finding.fix is None


def test_trap_on_exit_keeps_bash_and_the_fix_is_unsafe() -> None:
    finding = one(
        "IL103", 'FROM debian\nCMD ["bash", "-c", "trap \'rm -f /tmp/x\' EXIT; python3 a.py"]\n'
    )
    assert "bash will be PID 1" in finding.message
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.UNSAFE


def test_script_that_traps_term_is_deliberate() -> None:
    none(
        "IL103",
        'FROM debian\nCMD ["bash", "-c", "trap \'kill $pid\' TERM; python3 a.py"]\n',
    )


def test_bash_keeps_a_redirected_last_command() -> None:
    finding = one("IL103", 'FROM debian\nCMD ["bash", "-c", "python3 a.py >> /log 2>&1"]\n')
    assert "bash does not exec a redirected last command" in finding.message


def test_bash_and_list_after_other_commands() -> None:
    finding = one("IL103", 'FROM debian\nCMD ["bash", "-c", "echo hi; cd /a && python3 a.py"]\n')
    assert "&& or || list" in finding.message


def test_bash_runs_a_multi_line_script_line_by_line() -> None:
    none("IL103", 'FROM debian\nCMD ["bash", "-c", "echo hi\\ncd /a && python3 a.py\\n"]\n')


def test_busybox_keeps_a_command_followed_by_a_newline() -> None:
    finding = one("IL103", 'FROM alpine\nCMD ["sh", "-c", "cd /a\\npython3 a.py\\n"]\n')
    assert "busybox ash does not exec a command followed by more lines" in finding.message


def test_unknown_base_and_a_program_that_may_handle_sigterm() -> None:
    # Haxxnet/Compose-Examples style: sh -c "... && nginx -g 'daemon off;'" on an unknown image
    none("IL103", 'FROM example.org/base:1\nCMD ["sh", "-c", "nginx -g \'daemon off;\'"]\n')


def test_unknown_base_image_says_so() -> None:
    finding = one("IL103", 'FROM example.org/base:1\nCMD ["sh", "-c", "tail -f /dev/null"]\n')
    assert "example.org/base:1 is unknown" in finding.message
    assert "if it is dash" in finding.message
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.SAFE


def test_explicit_bash_on_unknown_base_is_known() -> None:
    none("IL103", 'FROM example.org/base:1\nCMD ["/bin/bash", "-c", "python3 app.py"]\n')


def test_exec_already_there() -> None:
    none("IL103", 'FROM debian\nCMD ["sh", "-c", "cd /a && exec python3 app.py"]\n')


def test_script_ending_with_a_builtin_or_background_job() -> None:
    none("IL103", 'FROM debian\nCMD ["sh", "-c", "python3 a.py & python3 b.py & wait"]\n')
    none("IL103", 'FROM debian\nCMD ["sh", "-c", "python3 a.py &"]\n')


def test_script_in_cmd_given_to_an_entrypoint_shell() -> None:
    finding = one(
        "IL103",
        """
        FROM debian
        ENTRYPOINT ["/bin/sh", "-c"]
        CMD ["python3 app.py"]
        """,
    )
    assert finding.span.line == 3
    assert "CMD runs /bin/sh (dash) -c" in finding.message


def test_behind_an_init_the_shell_is_not_pid1() -> None:
    none("IL103", 'FROM debian\nENTRYPOINT ["tini", "--"]\nCMD ["sh", "-c", "python3 a.py"]\n')


def test_launcher_in_front_of_the_shell() -> None:
    finding = one("IL103", 'FROM debian\nCMD ["env", "A=1", "sh", "-c", "python3 a.py"]\n')
    assert finding.span.column == 32


def test_unreadable_script_is_not_reported() -> None:
    none("IL103", 'FROM debian\nCMD ["sh", "-c", "cat <<EOF\\nx\\nEOF\\n"]\n')
    none("IL103", 'FROM debian\nCMD ["sh", "-c", "if true; then python3 a.py; fi"]\n')


def test_shell_form_is_not_il103() -> None:
    none("IL103", "FROM debian\nCMD sh -c 'python3 app.py'\n")


def test_inherited_from_an_earlier_stage() -> None:
    finding = one(
        "IL103",
        """
        FROM debian AS base
        CMD ["sh", "-c", "python3 app.py"]
        FROM base
        RUN true
        """,
    )
    assert finding.span.line == 2


def test_no_shell_image() -> None:
    none("IL103", 'FROM gcr.io/distroless/base\nCMD ["sh", "-c", "/app"]\n')
