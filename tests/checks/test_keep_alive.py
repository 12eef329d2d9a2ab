"""Keep-alive commands as PID 1 (the commonest in real files): sleep, tail -f, cat."""

from __future__ import annotations

import pytest

from tests.checks.lint_helpers import findings, none, one


@pytest.mark.parametrize(
    "cmd",
    ['["sleep", "infinity"]', '["tail", "-f", "/dev/null"]', '["/bin/sleep", "3600"]'],
)
def test_exec_form_keep_alive_is_reported(cmd: str) -> None:
    finding = one("IL202", f"FROM debian:12\nCMD {cmd}\n")
    assert "will be PID 1 and has no SIGTERM handler" in finding.message
    assert "docker stop will wait the whole grace period" in finding.message


def test_keep_alive_behind_an_init_is_fine() -> None:
    none("IL202", 'FROM debian:12\nENTRYPOINT ["tini", "--"]\nCMD ["sleep", "infinity"]\n')


def test_keep_alive_with_sigkill_as_stop_signal_is_fine() -> None:
    none("IL202", 'FROM debian:12\nSTOPSIGNAL SIGKILL\nCMD ["sleep", "infinity"]\n')


def test_shell_form_keep_alive_is_one_finding() -> None:
    text = "FROM alpine:3.20\nCMD sleep infinity\n"
    none("IL202", text)
    assert "sleep has no SIGTERM handler" in one("IL102", text).message


def test_busybox_sh_c_sleep_execs_sleep() -> None:
    # `image: busybox` running sh -c "sleep 3600": busybox execs sleep, which ignores SIGTERM
    text = 'FROM busybox:1.36\nCMD ["sh", "-c", "sleep 3600"]\n'
    assert one("IL202", text).rule_id == "IL202"
    none("IL103", text)


def test_while_sleep_loop_keeps_the_shell() -> None:
    text = 'FROM alpine:3.20\nCMD ["sh", "-c", "while true; do sleep 30; done"]\n'
    finding = one("IL103", text)
    assert "every shell stays to run a while loop" in finding.message or "loop" in finding.message
    assert finding.fix is None
    assert findings("IL202", text) == []


def test_unknown_program_stays_unknown() -> None:
    none("IL202", 'FROM debian:12\nCMD ["/usr/local/bin/myserver"]\n')


@pytest.mark.parametrize("argv", ['["sleep", "1"]', '["sleep", "$DELAY"]', '["tail", "/x.log"]'])
def test_short_or_unknown_waits_are_not_keep_alive(argv: str) -> None:
    none("IL202", f"FROM debian:12\nCMD {argv}\n")


@pytest.mark.parametrize("argv", ['["sleep", "1h"]', '["sleep", "3600"]', '["tail", "-F", "/l"]'])
def test_long_waits_are_keep_alive(argv: str) -> None:
    one("IL202", f"FROM debian:12\nCMD {argv}\n")


def _pod(command: str, image: str = "busybox:1.36") -> str:
    return (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        f"    - name: c\n      image: {image}\n      command: {command}\n"
    )


def test_a_short_sleep_in_a_pod_ends_before_the_grace_period() -> None:
    # argoproj/argo-cd test hooks: sh -c "sleep 10" (a pod waits 30 s before SIGKILL)
    from initlint.pipeline import LintOptions, run

    for image in ("busybox:1.36", "example.com/x:1", "debian:12"):
        report = run(["-"], LintOptions(use_docker=False), stdin=_stdin(_pod(
            '["sh", "-c", "sleep 10"]', image)))  # fmt: skip
        assert report.findings == [], image
    report = run(["-"], LintOptions(use_docker=False), stdin=_stdin(_pod('["sleep", "60"]')))
    assert [f.rule_id for f in report.findings] == ["IL202"]


def _stdin(text: str) -> object:
    import io

    return io.BytesIO(text.encode())


def test_sh_c_double_dash_script() -> None:
    # `sh -c -- "cmd"`: the options end at --, the script is the next word
    finding = one("IL103", 'FROM debian:12\nCMD ["sh", "-c", "--", "python3 app.py"]\n')
    assert '/bin/sh (dash) will be PID 1 running "python3 app.py"' in finding.message or (
        'sh (dash) will be PID 1 running "python3 app.py"' in finding.message
    )
    none("IL103", 'FROM debian:12\nCMD ["sh", "-ec", "--", "exec python3 app.py"]\n')
