"""Verdicts on shapes taken from real files (the issue-11 audit), one test per shape."""

from __future__ import annotations

from pathlib import Path

from initlint.pipeline import LintOptions, run
from tests.checks.lint_helpers import findings, none, one

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "real_world"


def lint(path: Path) -> list[str]:
    report = run([str(path)], LintOptions(use_docker=False, failure_threshold="none"))
    assert [f.error for f in report.files if f.error] == []
    return [f.rule_id for f in report.findings]


def test_official_database_entrypoint_with_a_temporary_server() -> None:
    # docker-library/mariadb: "$@" --skip-networking & ... mysqladmin shutdown ... exec "$@"
    assert lint(FIXTURES / "temp-server" / "Dockerfile") == []


def test_linuxserver_rootfs_stage_with_s6_overlay() -> None:
    # linuxserver/docker-baseimage-alpine: s6-overlay unpacked in a stage, COPY'd over /
    text = """
        FROM alpine:3.21 AS rootfs-stage
        ADD https://example.org/s6-overlay/v3/s6-overlay-noarch.tar.xz /tmp
        RUN tar -C /root-out -Jxpf /tmp/s6-overlay-noarch.tar.xz
        FROM scratch
        COPY --from=rootfs-stage /root-out/ /
        RUN apk add --no-cache catatonit
        ENTRYPOINT ["/init"]
        """
    none("IL105", text)
    none("IL203", text)


def test_interactive_tools_image_shell_cmd() -> None:
    # microsoft/mssql-docker mssql-tools: `CMD /bin/bash` for `docker run -it`
    none("IL102", "FROM ubuntu:22.04\nCMD /bin/bash\n")
    none("IL102", "FROM alpine:3.20\nCMD /bin/bash\n")


def test_java_under_dash_is_reported_and_under_busybox_is_not() -> None:
    # docker/awesome-compose sparkjava: `CMD java -jar /app.jar` on a Debian-based JDK
    finding = one("IL102", "FROM eclipse-temurin:17-jre\nCMD java -jar /app.jar\n")
    assert '/bin/sh (dash) will be PID 1 running "java -jar /app.jar"' in finding.message
    none("IL102", "FROM eclipse-temurin:17-jre-alpine\nCMD java -jar /app.jar\n")


def test_nginx_alpine_shell_form_is_one_finding_about_the_signal() -> None:
    # vimagick/dockerfiles: `CMD nginx -g 'daemon off;'` on Alpine: busybox execs nginx
    text = "FROM alpine:3.20\nRUN apk add nginx\nCMD nginx -g 'daemon off;'\n"
    none("IL102", text)
    assert "nginx stops gracefully on SIGQUIT" in one("IL108", text).message


def test_nginx_image_stop_signal_by_tag() -> None:
    text = 'FROM nginx:{tag}\nCMD ["nginx", "-g", "daemon off;"]\n'
    none("IL108", text.format(tag="1.25-alpine"))  # the image sets STOPSIGNAL SIGQUIT
    one("IL108", text.format(tag="1.17"))  # before 1.19.5 it did not
    none("IL108", text.format(tag="1.19.4"))  # rebuilt with it or not: unknown


def test_shell_form_cmd_after_a_dispatcher_entrypoint() -> None:
    # official-image style: ENTRYPOINT ["docker-entrypoint.sh"] + shell-form CMD
    text = 'FROM node:20\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD node server.js\n'
    finding = one("IL102", text)
    assert "when it execs them" in finding.message
    none("IL102", text.replace("node:20", "node:20-alpine"))  # busybox execs node


def test_kubernetes_job_findings_are_info() -> None:
    text = (
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: seed}\nspec:\n  template:\n"
        "    spec:\n      restartPolicy: Never\n      containers:\n        - name: seed\n"
        "          image: debian:12\n"
        '          command: ["sh", "-c", "python3 seed.py; sleep 3600"]\n'
    )
    path = Path(__file__).parent / "job.yaml"
    report = run(["-"], LintOptions(use_docker=False), stdin=_bytes(text))
    del path
    found = report.findings
    assert found and all(f.severity.label == "info" for f in found), found
    assert "a Kubernetes Job" in found[0].message


def test_compose_one_off_service_is_info(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n"
        "  migrate:\n    image: debian:12\n    command: sh -c 'python3 migrate.py; sleep 3600'\n"
        "  web:\n    image: nginx:1.27\n    depends_on:\n"
        "      migrate:\n        condition: service_completed_successfully\n"
    )
    report = run([str(tmp_path)], LintOptions(use_docker=False))
    assert [(f.rule_id, f.severity.label) for f in report.findings] == [("IL103", "info")]


def test_keep_alive_in_compose() -> None:
    # vimagick/dockerfiles aircrack-ng: `command: sleep infinity`
    assert findings("IL202", 'FROM debian:12\nCMD ["sleep", "infinity"]\n')


def _bytes(text: str) -> object:
    import io

    return io.BytesIO(text.encode())


def _context(tmp_path: Path, script: str, dockerfiles: int = 1) -> None:
    (tmp_path / "start.sh").write_text(script)
    for n in range(dockerfiles):
        (tmp_path / f"Dockerfile.{n}").write_text(
            f'FROM debian:12\nCOPY start.sh /start.sh\nCMD ["/start.sh", "{n}"]\n'
        )


def test_a_script_two_dockerfiles_run_is_reported_once(tmp_path: Path) -> None:
    # istio/istio pkg/test/echo/docker: two Dockerfiles, one echo-start.sh
    _context(tmp_path, "#!/bin/sh\nset -e\n/usr/local/bin/server --port 8080\n", dockerfiles=2)
    report = run([str(tmp_path)], LintOptions(use_docker=False))
    assert [f.rule_id for f in report.findings] == ["IL301"]


def test_a_task_script_ending_with_a_one_shot_command_is_info(tmp_path: Path) -> None:
    # kubernetes/ingress-nginx test/e2e-image/e2e.sh, oracle ocne-tools help.sh
    _context(tmp_path, "#!/bin/bash\nset -e\nginkgo ./e2e.test\nkubectl label cm report x=y\n")
    report = run([str(tmp_path)], LintOptions(use_docker=False))
    (finding,) = report.findings
    assert finding.rule_id == "IL301" and finding.severity.label == "info"
    assert "a task that ends by itself" in finding.message


def test_a_service_script_stays_an_error(tmp_path: Path) -> None:
    _context(tmp_path, "#!/bin/sh\nkubectl proxy --port=8001\n")
    report = run([str(tmp_path)], LintOptions(use_docker=False))
    assert [(f.rule_id, f.severity.label) for f in report.findings] == [("IL301", "error")]


def test_background_log_follower_before_exec_of_systemd(tmp_path: Path) -> None:
    # CentOS/CentOS-Dockerfiles freeipa init-data: `tail -f logs &`, then exec /usr/sbin/init
    _context(
        tmp_path,
        "#!/bin/bash\n(\n  trap '' SIGHUP SIGTERM\n  tail -n 0 -f /var/log/ipa.log &\n)\n"
        "exec /usr/sbin/init --show-status=false\nexit 10\n",
    )
    report = run([str(tmp_path)], LintOptions(use_docker=False))
    assert "IL302" not in [f.rule_id for f in report.findings]


def test_background_server_before_a_supervisor_that_is_not_exec_d(tmp_path: Path) -> None:
    # CentOS wordpress start.sh: mysqld_safe & ... supervisord (no exec): the job is lost
    _context(tmp_path, "#!/bin/bash\n/usr/bin/mysqld_safe &\nsleep 10\nsupervisord -n\n")
    report = run([str(tmp_path)], LintOptions(use_docker=False))
    assert "IL302" in [f.rule_id for f in report.findings]


def test_a_binary_from_a_golang_stage_stops_on_sigterm(tmp_path: Path) -> None:
    # the multi-stage Go shape: FROM golang AS build ... COPY --from=build /out/server ...
    (tmp_path / "Dockerfile").write_text(
        "FROM golang:1.22 AS build\nWORKDIR /src\nRUN go build -o /out/server ./cmd/server\n"
        'FROM alpine:3.20\nCOPY --from=build /out/server /usr/local/bin/\nCMD ["server"]\n'
    )
    report = run([str(tmp_path)], LintOptions(use_docker=False))
    (prediction,) = report.files[0].runtimes
    assert prediction.stop == "graceful"
    assert "a Go binary" in prediction.why
    assert report.findings == []
