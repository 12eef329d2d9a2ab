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
