"""`--probe`: what running the fixture images really shows, measured on the real engine."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import docker
import pytest

from initlint.engine.probe import (
    HELPER_CONTAINER,
    HOST_PROC,
    PROBE_LABEL,
    ProbeResult,
    probe_images,
)
from initlint.errors import InputError
from tests.images.conftest import REPO_ROOT, ImageBuilder
from tests.images.measured import probe_findings

pytestmark = pytest.mark.docker

GRACE = 2
WAIT = 2.0


def probe(refs: list[str], method: str = "auto") -> list[ProbeResult]:
    return probe_images(refs, wait=WAIT, jobs=4, grace=GRACE, method=method)


def no_probe_containers_left(client: docker.DockerClient) -> bool:
    return client.containers.list(all=True, filters={"label": f"{PROBE_LABEL}=1"}) == []


def test_shell_form_ignores_sigterm_and_is_killed(
    docker_client: docker.DockerClient, fixture_image: ImageBuilder
) -> None:
    ref = fixture_image("shell_form")
    [result] = probe([ref])
    print(json.dumps(result.to_dict(), indent=1))

    assert result.error is None
    assert result.zombie_method == HOST_PROC  # the test engine runs on this machine
    assert result.pid1_argv == ("/bin/sh", "-c", "python3 /app.py")
    assert [p.name for p in result.processes] == ["sh", "python3"]
    assert result.processes[0].pid == 1 and result.processes[1].ppid == 1
    assert result.killed_after_grace
    assert result.exit_code == 137
    assert result.stop_seconds is not None and GRACE - 0.1 <= result.stop_seconds < GRACE + 3
    [finding] = probe_findings(result)
    assert finding.rule_id == "IL202"
    assert finding.message.startswith(
        "measured: PID 1 \"/bin/sh -c 'python3 /app.py'\" ignored SIGTERM; stop took 2."
    )
    assert finding.message.endswith("s and ended in SIGKILL")
    assert finding.span.path == f"image:{ref}"
    assert no_probe_containers_left(docker_client)


def test_handler_and_init_stop_at_once(
    docker_client: docker.DockerClient, fixture_image: ImageBuilder
) -> None:
    refs = [fixture_image("exec_with_handler"), fixture_image("with_init")]
    results = probe(refs)
    for result in results:
        print(result.reference, result.stop_seconds, result.exit_code)
        assert result.error is None
        assert not result.killed_after_grace
        assert result.stop_seconds is not None and result.stop_seconds < 1.0
        assert probe_findings(result) == []
    assert results[0].exit_code == 0
    # the init forwarded SIGTERM; python3 died of it, and the init exits 128+15 for that
    assert results[1].exit_code == 128 + signal.SIGTERM
    assert [p.name for p in results[1].processes] == ["python3", "python3"]
    assert results[1].processes[0].argv[3] == "/usr/local/bin/initlint-init"


def test_spawning_app_without_init_leaves_zombies_the_init_reaps_them(
    docker_client: docker.DockerClient, fixture_image: ImageBuilder
) -> None:
    without, with_init = probe(
        [fixture_image("spawning_no_init"), fixture_image("spawning_with_init")]
    )
    print("zombies without init:", without.zombie_samples)
    print("zombies with init:", with_init.zombie_samples)

    assert without.zombies is not None and without.zombies >= 3
    assert [p.name for p in without.processes if p.state == "Z"] == ["sleep"] * without.zombies
    assert with_init.zombies == 0 and with_init.max_zombies == 0
    rules = [f.rule_id for f in probe_findings(without)]
    assert rules == ["IL201"]  # it handles SIGTERM: the stop itself is fine
    assert not without.killed_after_grace
    message = probe_findings(without)[0].message
    assert f"left {without.zombies} zombie processes unreaped after 2 s" in message
    assert "host's process table" in message


def test_helper_container_counts_the_same_zombies(
    docker_client: docker.DockerClient, fixture_image: ImageBuilder
) -> None:
    [result] = probe([fixture_image("spawning_no_init")], method=HELPER_CONTAINER)
    assert result.zombie_method == HELPER_CONTAINER
    assert result.zombies is not None and result.zombies >= 3
    # the helper's own shell is not part of the container's tree
    assert result.processes[0].pid == 1 and result.processes[0].name == "python3"
    assert "a helper container in its PID namespace" in probe_findings(result)[0].message
    assert no_probe_containers_left(docker_client)


def test_json_numbers(fixture_image: ImageBuilder) -> None:
    [result] = probe([fixture_image("exec_no_handler")])
    data = json.loads(json.dumps(result.to_dict()))
    assert data["reference"] == fixture_image("exec_no_handler")
    assert data["killed_after_grace"] is True
    assert data["exit_code"] == 137
    assert data["grace_seconds"] == GRACE
    assert data["read_only_root"] is True
    assert data["zombie_method"] == HOST_PROC
    assert isinstance(data["stop_seconds"], float)
    assert data["processes"][0]["argv"] == ["python3", "/app.py"]


def test_missing_image_is_an_input_error_before_anything_runs(
    docker_client: docker.DockerClient, fixture_image: ImageBuilder
) -> None:
    with pytest.raises(InputError) as raised:
        probe([fixture_image("exec_with_handler"), "initlint-test/no-such-image:never"])
    assert "image not found" in str(raised.value)
    assert no_probe_containers_left(docker_client)


@pytest.mark.parametrize("delay", [0.0, 0.5], ids=["while-starting", "while-waiting"])
def test_ctrl_c_removes_the_running_probe(
    docker_client: docker.DockerClient, fixture_image: ImageBuilder, delay: float
) -> None:
    ref = fixture_image("exec_with_handler")
    code = (
        f"from initlint.engine.probe import probe_images; probe_images([{ref!r}], wait=60, grace=2)"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while no_probe_containers_left(docker_client):
            assert time.monotonic() < deadline, "the probe container never appeared"
            assert process.poll() is None, process.communicate()
            time.sleep(0.1)
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
        left = not no_probe_containers_left(docker_client)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        for container in docker_client.containers.list(
            all=True, filters={"label": f"{PROBE_LABEL}=1", "ancestor": ref}
        ):
            container.remove(force=True)  # only when the assertion below fails
    assert b"KeyboardInterrupt" in stderr
    assert not left


def test_app_that_cannot_run_read_only_is_probed_with_a_writable_root(
    docker_client: docker.DockerClient, fixture_image: ImageBuilder
) -> None:
    [result] = probe([fixture_image("writes_root")])
    assert result.error is None
    assert result.read_only_root is False
    assert result.notes and "read-only root" in result.notes[0]
    assert not result.exited_before_stop
    assert result.stop_seconds is not None and result.stop_seconds < 1.0
    assert no_probe_containers_left(docker_client)


def test_one_shot_image_exits_during_the_wait(
    docker_client: docker.DockerClient, fixture_image: ImageBuilder
) -> None:
    [result] = probe([fixture_image("exits_at_once")])
    assert result.error is None
    assert result.exited_before_stop
    assert result.exit_code == 0
    assert result.stop_seconds is None
    assert "done" in result.logs_tail
    assert probe_findings(result) == []
    assert no_probe_containers_left(docker_client)


def test_image_that_cannot_start_is_an_error_result_and_leaves_nothing(
    docker_client: docker.DockerClient, fixture_image: ImageBuilder
) -> None:
    [result] = probe([fixture_image("missing_binary")])
    assert result.error is not None and "no-such-program" in result.error
    assert probe_findings(result) == []
    assert no_probe_containers_left(docker_client)
