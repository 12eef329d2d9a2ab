"""What `docker stop` really does to a shell-form CMD versus an exec-form app that handles SIGTERM.

The shell-form image runs `/bin/sh -c "python3 /app.py"`; Debian's dash stays PID 1 and, as a
namespace init without a SIGTERM handler, never sees SIGTERM: the stop waits the whole grace
period and ends in SIGKILL. The exec-form twin makes python3 PID 1, and its handler exits at once.
"""

from __future__ import annotations

from pathlib import Path

import docker
import pytest

from tests.support.docker_env import (
    build_image,
    container_pid,
    started_container,
    timed_stop,
    wait_for_log,
)

pytestmark = pytest.mark.docker

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "e2e"
GRACE_SECONDS = 2
KILLED_BY_SIGKILL = 128 + 9


def stop_and_wait(client: docker.DockerClient, image_tag: str) -> tuple[float, int, str]:
    """Start the image, wait for its first line, `docker stop -t 2` it.

    Returns the seconds the stop took, the exit code and the name of its PID 1.
    """
    with started_container(client, image_tag) as container:
        wait_for_log(container, "app running")
        pid1 = container_pid(container)
        assert pid1 != 0, f"container exited early: {container.attrs['State']}"
        pid1_name = Path(f"/proc/{pid1}/comm").read_text().strip()
        seconds = timed_stop(container, GRACE_SECONDS)
        exit_code = int(container.wait(timeout=30)["StatusCode"])
    return seconds, exit_code, pid1_name


def test_shell_form_cmd_waits_the_whole_grace_period_and_is_killed(
    docker_client: docker.DockerClient, debian_python_image: str
) -> None:
    image = build_image(
        docker_client,
        FIXTURES / "stop_shell_form_no_handler",
        "initlint-test/e2e-stop-shell-form:latest",
    )
    seconds, exit_code, pid1_name = stop_and_wait(docker_client, image.id)
    print(f"shell-form CMD: docker stop -t {GRACE_SECONDS} took {seconds:.2f} s, exit {exit_code}")

    assert pid1_name == "sh", "dash, not python3, should be PID 1 of a shell-form CMD"
    assert seconds >= GRACE_SECONDS - 0.1, f"stop took only {seconds:.2f} s"
    assert exit_code == KILLED_BY_SIGKILL


def test_exec_form_app_with_sigterm_handler_stops_at_once(
    docker_client: docker.DockerClient, debian_python_image: str
) -> None:
    image = build_image(
        docker_client,
        FIXTURES / "stop_exec_form_with_handler",
        "initlint-test/e2e-stop-exec-form:latest",
    )
    seconds, exit_code, pid1_name = stop_and_wait(docker_client, image.id)
    print(f"exec-form CMD: docker stop -t {GRACE_SECONDS} took {seconds:.2f} s, exit {exit_code}")

    assert pid1_name == "python3"
    assert seconds < 1.0, f"stop took {seconds:.2f} s"
    assert exit_code == 0
