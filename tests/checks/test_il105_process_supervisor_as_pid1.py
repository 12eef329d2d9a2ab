from __future__ import annotations

import pytest

from initlint.model import Severity
from tests.checks.lint_helpers import none, one


def test_supervisord() -> None:
    finding = one(
        "IL105", 'FROM ubuntu:24.04\nCMD ["/usr/bin/supervisord", "-n", "-c", "/etc/s.conf"]\n'
    )
    assert finding.severity is Severity.INFO
    assert (finding.span.line, finding.span.column) == (2, 6)
    assert finding.message.startswith("supervisord runs the container as a small system")
    assert "supervisord will be PID 1 and docker stop's SIGTERM will stop it" in finding.message
    assert finding.fix is None


def test_systemd_does_not_stop_on_sigterm() -> None:
    finding = one("IL105", 'FROM fedora:40\nCMD ["/usr/lib/systemd/systemd"]\n')
    assert "systemd will not stop on docker stop's SIGTERM" in finding.message


@pytest.mark.parametrize(
    "argv",
    ['["/sbin/init"]', '["/init"]', '["runsvdir", "/etc/service"]', '["s6-svscan", "/s"]'],
)
def test_other_supervisors(argv: str) -> None:
    one("IL105", f"FROM debian\nENTRYPOINT {argv}\n")


def test_a_projects_own_init_script_is_not_a_supervisor() -> None:
    none("IL105", 'FROM debian\nCMD ["./init"]\n')
    none("IL105", 'FROM debian\nCMD ["/app/bin/init"]\n')


def test_supervisor_behind_tini() -> None:
    finding = one("IL105", 'FROM debian\nENTRYPOINT ["tini", "--", "supervisord", "-n"]\n')
    assert "tini will be PID 1 running supervisord" in finding.message


def test_shell_form_supervisor() -> None:
    finding = one("IL105", "FROM debian\nCMD supervisord -n\n")
    assert '/bin/sh (dash) will be PID 1 running "supervisord -n"' in finding.message


def test_plain_app_is_not_reported() -> None:
    none("IL105", 'FROM debian\nCMD ["python3", "app.py"]\n')
