"""A compose project on the real engine, before and after ``initlint --fix``.

With Debian's docker-compose (v1.29, from apt; works offline with ``network_mode: none`` and
local images) when it is installed, otherwise with the Docker SDK and the same settings the
compose file gives (build, image, entrypoint, init, stop_signal, volumes). The original
services take the whole grace period to stop; the fixed ones stop in under a second.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docker
import docker.errors
import pytest
from docker.models.containers import Container

from initlint.sources.compose import parse_duration
from tests.compose.helpers import run_initlint
from tests.support import skip_or_fail
from tests.support.docker_env import (
    OWNER_LABEL,
    TEST_LABEL,
    TEST_OWNER,
    build_image,
    run_container,
    timed_stop,
    wait_for_log,
)
from tests.truth.programs import PY_HANDLER

pytestmark = [pytest.mark.docker, pytest.mark.slow]

WORKER = """import subprocess
import time

print("ready", flush=True)
while True:
    subprocess.run(["true"])
    time.sleep(1)
"""
COMPOSE = """# worker: Python as PID 1 with no SIGTERM handler (IL202: init: true)
# web: sh -c keeps dash as PID 1 (IL103: exec)
services:
  worker:
    build: ./app
    network_mode: none
    stop_grace_period: {grace}s
    labels: &labels
      {test_label}: "1"
      {owner_label}: "{owner}"
  web:
    image: {image}
    entrypoint: ["sh", "-c", "cd /srv && python3 -u server.py"]
    volumes:
      - ./server:/srv:ro
    network_mode: none
    stop_grace_period: {grace}s
    labels: *labels
"""
GRACE = 3


def write_project(folder: Path, image: str) -> Path:
    (folder / "app").mkdir(parents=True)
    (folder / "server").mkdir()
    (folder / "app" / "Dockerfile").write_text(
        f"FROM {image}\nCOPY worker.py /srv/worker.py\nWORKDIR /srv\n"
        'ENTRYPOINT ["python3", "-u", "/srv/worker.py"]\n'
    )
    (folder / "app" / "worker.py").write_text(WORKER)
    (folder / "server" / "server.py").write_text(PY_HANDLER)
    path = folder / "compose.yaml"
    path.write_text(
        COMPOSE.format(
            grace=GRACE,
            image=image,
            test_label=TEST_LABEL,
            owner_label=OWNER_LABEL,
            owner=TEST_OWNER,
        )
    )
    return path


class ComposeV1:
    """``docker-compose`` (v1) from Debian: up, find the containers, down."""

    def __init__(self, client: docker.DockerClient, project_dir: Path, name: str) -> None:
        self.client, self.dir, self.name = client, project_dir, name

    def _run(self, *args: str) -> None:
        result = subprocess.run(
            ["docker-compose", "-p", self.name, *args],
            cwd=self.dir, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert result.returncode == 0, f"docker-compose {' '.join(args)}:\n{result.stderr}"

    @contextlib.contextmanager
    def up(self) -> Iterator[dict[str, Container]]:
        try:
            self._run("up", "-d", "--build", "--force-recreate")
            found = self.client.containers.list(
                filters={"label": f"com.docker.compose.project={self.name}"}
            )
            yield {c.labels["com.docker.compose.service"]: c for c in found}
        finally:
            self._run("down", "--rmi", "local", "--timeout", "0")


class ComposeBySdk:
    """The same services with the SDK, read from the compose file's settings."""

    def __init__(self, client: docker.DockerClient, project_dir: Path, name: str) -> None:
        self.client, self.dir, self.name = client, project_dir, name

    def _options(self, service: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        options: dict[str, Any] = {}
        if "build" in service:
            image = f"{self.name}-{service['build'].strip('./')}".lower()
            build_image(self.client, self.dir / service["build"], image)
        else:
            image = service["image"]
        for key in ("entrypoint", "command"):
            if key in service:
                options[key] = service[key]
        options["init"] = bool(service.get("init", False))
        if "stop_signal" in service:
            options["stop_signal"] = service["stop_signal"]
        volumes = {}
        for volume in service.get("volumes", []):
            source, target, *mode = volume.split(":")
            volumes[str((self.dir / source).resolve())] = {
                "bind": target, "mode": mode[0] if mode else "rw"
            }  # fmt: skip
        options["volumes"] = volumes
        return image, options

    @contextlib.contextmanager
    def up(self) -> Iterator[dict[str, Container]]:
        from ruamel.yaml import YAML

        services = YAML(typ="safe", pure=True).load((self.dir / "compose.yaml").read_text())
        started: dict[str, Container] = {}
        built: list[str] = []
        try:
            for name, service in services["services"].items():
                image, options = self._options(service)
                if "build" in service:
                    built.append(image)
                started[name] = run_container(self.client, image, **options)
            yield started
        finally:
            for container in started.values():
                with contextlib.suppress(docker.errors.NotFound):
                    container.remove(force=True)
            for image in built:
                with contextlib.suppress(docker.errors.NotFound, docker.errors.APIError):
                    self.client.images.remove(image, force=True)


def stop_times(runner: ComposeV1 | ComposeBySdk, compose: Path) -> dict[str, float]:
    from ruamel.yaml import YAML

    services = YAML(typ="safe", pure=True).load(compose.read_text())["services"]
    times: dict[str, float] = {}
    with runner.up() as containers:
        for name, container in sorted(containers.items()):
            wait_for_log(container, "ready")
            grace = parse_duration(str(services[name]["stop_grace_period"]))
            assert grace is not None
            times[name] = timed_stop(container, int(grace))
    return times


@pytest.mark.parametrize("runner_class", [ComposeV1, ComposeBySdk], ids=["docker-compose", "sdk"])
def test_fixed_services_stop_in_under_a_second(
    docker_client: docker.DockerClient,
    debian_python_image: str,
    tmp_path: Path,
    runner_class: type[ComposeV1 | ComposeBySdk],
) -> None:
    if runner_class is ComposeV1 and not shutil.which("docker-compose"):
        # scripts/system-deps.sh installs Debian's docker-compose; in CI its absence fails
        skip_or_fail("docker-compose (v1, apt package docker-compose) is not installed")
    compose = write_project(tmp_path / "project", debian_python_image)
    runner = runner_class(docker_client, compose.parent, f"initlint{os.getpid()}")

    before = stop_times(runner, compose)
    assert before["worker"] >= GRACE - 0.2, before  # python3 as PID 1 drops SIGTERM
    assert before["web"] >= GRACE - 0.2, before  # dash as PID 1 drops SIGTERM

    # the base is a local tag: its /bin/sh (dash) is known only from the engine
    result = run_initlint("--fix", "--local-base-images", "compose.yaml", cwd=compose.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    fixed = compose.read_text()
    assert "    init: true\n" in fixed and "cd /srv && exec python3 -u server.py" in fixed

    after = stop_times(runner, compose)
    assert after["worker"] < 1.0, after  # docker-init forwards SIGTERM; python3 is not PID 1
    assert after["web"] < 1.0, after  # the handler in server.py now gets SIGTERM
    print(f"{runner_class.__name__}: docker stop before --fix {before}, after {after}")
