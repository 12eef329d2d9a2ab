"""The bundled init as the ENTRYPOINT of real containers, each measured against the same image
without it: `docker stop` time, zombies left in the host's process table, `docker wait` code."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import docker
import pytest

from initlint.fixes.init_injection import PYTHON_INIT_SETUP
from tests.support.docker_env import (
    build_image,
    container_pid,
    count_zombies,
    started_container,
    timed_stop,
    wait_for_log,
)
from tests.support.pidns import INIT_PY

pytestmark = pytest.mark.docker

APPS = Path(__file__).parent / "containers"
GRACE_SECONDS = 3
WITH_INIT = '["python3", "-I", "-S", "/usr/local/bin/initlint-init", "--"]'
RUN_APP = '["python3", "/app.py"]'


def image_with_app(
    client: docker.DockerClient, context: Path, app: str, *, init: bool, cmd: str | None = None
) -> str:
    """Build FROM the Debian python image: the app as CMD, with the vendored init as ENTRYPOINT
    (the way the fixes inject it: the source COPY'd, compiled to bytecode by the build) or
    without any init."""
    context.mkdir()
    shutil.copy(APPS / app, context / "app.py")
    shutil.copy(INIT_PY, context / "initlint-init")
    lines = ["FROM initlint-test/debian-python:12", "COPY app.py /app.py"]
    if init:
        lines += [*PYTHON_INIT_SETUP, f"ENTRYPOINT {WITH_INIT}"]
    lines.append(f"CMD {cmd or RUN_APP}")
    (context / "Dockerfile").write_text("\n".join(lines) + "\n")
    name = app.removesuffix(".py").replace("_", "-")
    tag = f"initlint-test/init-{name}:{'init' if init else 'bare'}{'-cmd' if cmd else ''}"
    return str(build_image(client, context, tag).id)


def stop_seconds_and_code(client: docker.DockerClient, image: str) -> tuple[float, int, str]:
    with started_container(client, image) as container:
        wait_for_log(container, "app running")
        pid1 = Path(f"/proc/{container_pid(container)}/cmdline").read_bytes().split(b"\0")
        seconds = timed_stop(container, GRACE_SECONDS)
        code = int(container.wait(timeout=30)["StatusCode"])
    return seconds, code, " ".join(part.decode() for part in pid1 if part)


def test_docker_stop_is_immediate_with_the_init_and_waits_the_grace_period_without(
    docker_client: docker.DockerClient, debian_python_image: str, tmp_path: Path
) -> None:
    bare = image_with_app(docker_client, tmp_path / "bare", "no_handler_app.py", init=False)
    with_init = image_with_app(docker_client, tmp_path / "init", "no_handler_app.py", init=True)

    bare_seconds, bare_code, bare_pid1 = stop_seconds_and_code(docker_client, bare)
    init_seconds, init_code, init_pid1 = stop_seconds_and_code(docker_client, with_init)
    print(f"docker stop -t {GRACE_SECONDS}: without init {bare_seconds:.2f} s (exit {bare_code}),")
    print(f"with initlint-init {init_seconds:.2f} s (exit {init_code})")

    assert bare_pid1 == "python3 /app.py"
    assert bare_seconds >= GRACE_SECONDS - 0.1
    assert bare_code == 128 + 9  # SIGKILL at the end of the grace period
    assert init_pid1.startswith("python3 -I -S /usr/local/bin/initlint-init --")
    assert init_seconds < 1.0
    assert init_code == 128 + 15  # the app died of the forwarded SIGTERM


def zombie_samples(client: docker.DockerClient, image: str) -> list[int]:
    with started_container(client, image) as container:
        wait_for_log(container, "app running")
        time.sleep(3)
        samples = []
        for _ in range(5):
            samples.append(count_zombies(container))
            time.sleep(0.2)
    return samples


def test_orphans_leave_no_zombie_with_the_init_and_pile_up_without(
    docker_client: docker.DockerClient, debian_python_image: str, tmp_path: Path
) -> None:
    bare = image_with_app(docker_client, tmp_path / "bare", "orphaning_app.py", init=False)
    with_init = image_with_app(docker_client, tmp_path / "init", "orphaning_app.py", init=True)

    bare_zombies = zombie_samples(docker_client, bare)
    init_zombies = zombie_samples(docker_client, with_init)
    print(f"zombies under PID 1 after 3 s: without init {bare_zombies}, with {init_zombies}")

    assert min(bare_zombies) >= 5
    # a sleep that exits between two reaps is a zombie for microseconds: allow one sighting
    assert sum(init_zombies) <= 1


@pytest.mark.parametrize(
    ("cmd", "code"),
    [
        ('["sh", "-c", "exit 42"]', 42),
        ('["sh", "-c", "kill -USR1 $$"]', 138),
        ('["no-such-program"]', 127),
    ],
)
def test_exit_code_reaches_docker_wait(
    docker_client: docker.DockerClient,
    debian_python_image: str,
    tmp_path: Path,
    cmd: str,
    code: int,
) -> None:
    image = image_with_app(docker_client, tmp_path / "ctx", "no_handler_app.py", init=True, cmd=cmd)
    with started_container(docker_client, image) as container:
        assert int(container.wait(timeout=30)["StatusCode"]) == code
