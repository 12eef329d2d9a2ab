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
    assert "re-executes itself on docker stop's SIGTERM instead of stopping" in finding.message


def test_sbin_init_of_an_image_that_installs_systemd_is_systemd() -> None:
    # CentOS/CentOS-Dockerfiles systemd/centos7: the image configures systemd, CMD /usr/sbin/init
    text = (
        "FROM centos:7\nRUN (cd /lib/systemd/system/sysinit.target.wants/; for i in *; do "
        '[ $i == systemd-tmpfiles-setup.service ] || rm -f $i; done)\nCMD ["/usr/sbin/init"]\n'
    )
    assert one("IL105", text).message.startswith("systemd runs the container")
    signal = one("IL108", text)
    assert "systemd halts in order only on SIGRTMIN+3" in signal.message
    none("IL108", text.replace("CMD", "STOPSIGNAL SIGRTMIN+3\nCMD"))


def test_s6_overlay_init_is_an_init() -> None:
    # linuxserver.io base images: s6-overlay unpacked in a RUN, ENTRYPOINT ["/init"]
    text = (
        "FROM alpine:3.20\nADD s6-overlay-noarch.tar.xz /tmp\n"
        "RUN tar -C / -Jxpf /tmp/s6-overlay-noarch.tar.xz && apk add --no-cache catatonit\n"
        'ENTRYPOINT ["/init"]\n'
    )
    none("IL105", text)
    none("IL203", text)  # never "put catatonit in front of /init"


def test_image_from_a_linuxserver_base_runs_s6() -> None:
    none("IL105", 'FROM ghcr.io/linuxserver/baseimage-alpine:3.20\nENTRYPOINT ["/init"]\n')


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


def test_shell_form_supervisor_is_one_finding() -> None:
    # vimagick/dockerfiles chinadns: the shell that stays PID 1 is the problem, IL102 says it
    none("IL105", "FROM debian\nCMD supervisord -n\n")
    finding = one("IL102", "FROM debian\nCMD supervisord -n\n")
    assert '/bin/sh (dash) will be PID 1 running "supervisord -n"' in finding.message


def test_plain_app_is_not_reported() -> None:
    none("IL105", 'FROM debian\nCMD ["python3", "app.py"]\n')
