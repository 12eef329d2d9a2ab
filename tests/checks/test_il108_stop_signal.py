from __future__ import annotations

import pytest

from initlint.model import Applicability, SetStopSignal, Severity
from tests.checks.lint_helpers import none, one


@pytest.mark.parametrize("value", ["SIGFOO", "0", "65", "TERMINATE", "SIGRTMIN+16", "-1"])
def test_invalid_values(value: str) -> None:
    finding = one("IL108", f'FROM debian\nSTOPSIGNAL {value}\nCMD ["python3", "a.py"]\n')
    assert finding.severity is Severity.WARNING
    assert (finding.span.line, finding.span.column) == (2, 12)
    assert finding.message.startswith(f"STOPSIGNAL {value} is not a signal")
    assert finding.fix is None


@pytest.mark.parametrize(
    "value", ["SIGTERM", "TERM", "sigterm", "SIGINT", "9", "1", "64", "SIGRTMIN+3", "RTMAX-2"]
)
def test_valid_values(value: str) -> None:
    none("IL108", f'FROM debian\nSTOPSIGNAL {value}\nCMD ["python3", "a.py"]\n')


def test_unexpanded_variable_is_not_judged() -> None:
    none("IL108", 'FROM debian\nARG SIG\nSTOPSIGNAL $SIG\nCMD ["python3", "a.py"]\n')


def test_expanded_variable_is_judged() -> None:
    one("IL108", 'FROM debian\nARG SIG=SIGNOPE\nSTOPSIGNAL $SIG\nCMD ["python3", "a.py"]\n')


def test_nginx_without_sigquit() -> None:
    finding = one("IL108", 'FROM debian:12\nCMD ["nginx", "-g", "daemon off;"]\n')
    assert (finding.span.line, finding.span.column) == (2, 6)
    assert finding.message == (
        "the stop signal is SIGTERM, but nginx stops gracefully on SIGQUIT: nginx will be "
        "PID 1 and docker stop's SIGTERM will stop nginx at once rather than gracefully "
        "(SIGQUIT is its graceful stop)"
    )
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.SAFE
    assert isinstance(finding.fix.intent, SetStopSignal)
    assert finding.fix.intent.signal == "SIGQUIT"
    assert finding.fix.intent.existing is None


def test_official_nginx_image_already_sets_sigquit() -> None:
    none("IL108", 'FROM nginx:1.27\nCMD ["nginx", "-g", "daemon off;"]\n')


def test_nginx_with_its_stop_signal() -> None:
    none("IL108", 'FROM debian\nSTOPSIGNAL SIGQUIT\nCMD ["nginx", "-g", "daemon off;"]\n')
    none("IL108", 'FROM debian\nSTOPSIGNAL 3\nCMD ["nginx", "-g", "daemon off;"]\n')


def test_wrong_explicit_stop_signal_points_at_stopsignal() -> None:
    finding = one(
        "IL108", 'FROM debian\nSTOPSIGNAL SIGTERM\nCMD ["/usr/sbin/apache2", "-DFOREGROUND"]\n'
    )
    assert finding.span.line == 2
    assert "apache2 stops gracefully on SIGWINCH" in finding.message
    assert finding.fix is not None
    assert isinstance(finding.fix.intent, SetStopSignal)
    assert finding.fix.intent.existing is not None


def test_php_fpm_on_alpine_shell_form() -> None:
    finding = one("IL108", "FROM alpine:3.20\nCMD php-fpm82 -F\n")
    assert "php-fpm82 will be PID 1 (/bin/sh (busybox ash) execs it)" in finding.message


def test_stop_signal_inherited_from_an_earlier_stage() -> None:
    none(
        "IL108",
        """
        FROM debian AS base
        STOPSIGNAL SIGQUIT
        FROM base
        CMD ["nginx", "-g", "daemon off;"]
        """,
    )


def test_behind_tini_the_signal_is_forwarded() -> None:
    finding = one("IL108", 'FROM debian\nENTRYPOINT ["tini", "--", "nginx", "-g", "daemon off;"]\n')
    assert "forwarded to nginx" in finding.message


def test_shell_staying_pid1_is_left_to_il102() -> None:
    none("IL108", "FROM debian\nCMD nginx -g 'daemon off;'\n")


def test_other_programs_are_fine_with_sigterm() -> None:
    none("IL108", 'FROM debian\nCMD ["python3", "app.py"]\n')
