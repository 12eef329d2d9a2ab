"""What a configuration really does: build it, run it, make orphans, stop it, time the stop.

The protocol, the same for every configuration:

1. build the context's Dockerfile (no network, no pull); compose services come up through the
   compose that scripts/system-deps.sh installs (``docker-compose up``);
2. let PID 1 settle for SETTLE_SECONDS;
3. ``docker exec`` a shell that leaves ORPHANS short-lived background processes and exits: they
   are reparented to the container's PID 1, as the orphans of any app would be;
4. after ORPHAN_WAIT_SECONDS, count PID 1's children in state Z in the host's process table
   (``docker top`` never shows zombies): any zombie means PID 1 does not reap (``reaps: no``);
5. ``docker stop -t GRACE`` (``docker-compose stop -t GRACE``), timed: exit status 137 at the
   end of the grace period means the stop signal changed nothing (``grace-period``), anything
   earlier is ``graceful``.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docker
import docker.errors
from docker.models.containers import Container

from initlint.engine.probe import host_process_tree
from tests.support.docker_env import (
    OWNER_LABEL,
    TEST_LABEL,
    TEST_OWNER,
    build_image,
    container_pid,
    run_container,
)

GRACE = 2
SETTLE_SECONDS = 1.0
ORPHANS = 3
ORPHAN_WAIT_SECONDS = 0.6
# A stop that ends this close to the grace period was ended by the engine's SIGKILL.
TOLERANCE = 0.3
ORPHAN_MAKER = ["sh", "-c", " ".join(["sleep 0.1 >/dev/null 2>&1 &"] * ORPHANS)]


@dataclass
class Truth:
    """The measured behaviour of one configuration."""

    stop: str = "error"  # graceful | grace-period | exited (before the stop) | error
    reaps: str = "error"  # yes | no | error
    stop_seconds: float | None = None
    exit_code: int | None = None
    zombies: int | None = None
    tree: tuple[tuple[str, ...], ...] = ()  # argv of every process, PID 1 first
    error: str | None = None
    logs: str = ""
    timings: dict[str, float] = field(default_factory=dict)


ZOMBIE_RECHECK_SECONDS = 0.3


def _zombie_pids(pid: int) -> set[int]:
    return {p.pid for p in host_process_tree(pid) if p.state == "Z" and p.ppid == 1}


def persistent_zombies(pid: int) -> int:
    """PID 1's zombie children still there ZOMBIE_RECHECK_SECONDS later: a reaping PID 1 may
    not have collected one that has just exited, a PID 1 that does not reap never will."""
    first = _zombie_pids(pid)
    if not first:
        return 0
    time.sleep(ZOMBIE_RECHECK_SECONDS)
    return len(first & _zombie_pids(pid))


def build(client: docker.DockerClient, context: Path, tag: str) -> None:
    build_image(client, context, tag)


def measure_container(
    container: Container, grace: int = GRACE, stopper: Callable[[], str | None] | None = None
) -> Truth:
    """Steps 2 to 5 on a started container; ``stopper`` stops it another way than the SDK."""
    truth = Truth()
    time.sleep(SETTLE_SECONDS)
    container.reload()
    if container.status != "running":
        truth.stop = truth.reaps = "exited"
        truth.exit_code = int(container.attrs["State"]["ExitCode"])
        truth.logs = container.logs().decode(errors="replace")[-2000:]
        return truth
    pid = container_pid(container)
    made = container.exec_run(ORPHAN_MAKER)
    if made.exit_code != 0:
        truth.error = f"the orphan maker failed ({made.exit_code}): {made.output!r}"
    time.sleep(ORPHAN_WAIT_SECONDS)
    truth.tree = tuple(p.argv for p in host_process_tree(pid) if p.state != "Z")
    truth.zombies = persistent_zombies(pid)
    truth.reaps = "no" if truth.zombies else "yes"
    started = time.monotonic()
    if stopper is None:
        container.stop(timeout=grace)
    else:
        failed = stopper()
        if failed:
            truth.error = failed
    truth.stop_seconds = time.monotonic() - started
    container.reload()
    truth.exit_code = int(container.attrs["State"]["ExitCode"])
    killed = truth.exit_code == 137 and truth.stop_seconds >= grace - TOLERANCE
    truth.stop = "grace-period" if killed else "graceful"
    if truth.exit_code == 137 and not killed:
        truth.error = f"SIGKILLed after {truth.stop_seconds:.2f} s, before the grace period"
    truth.logs = container.logs().decode(errors="replace")[-2000:]
    return truth


def measure_image(client: docker.DockerClient, tag: str, grace: int = GRACE, **run: Any) -> Truth:
    container = run_container(client, tag, **run)
    try:
        return measure_container(container, grace)
    finally:
        with contextlib.suppress(docker.errors.NotFound, docker.errors.APIError):
            container.remove(force=True)


def compose_command(context: Path, project: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["docker-compose", "-p", project, "-f", str(context / "compose.yaml"), *args],
        cwd=context,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def measure_compose(
    client: docker.DockerClient, context: Path, project: str, grace: int = GRACE
) -> Truth:
    """Bring the service up with docker-compose, measure it, stop it the compose way.

    The stop's time includes docker-compose's own start-up (about a second), so here only
    the exit status 137 (the engine's SIGKILL at the end of the grace period) tells."""
    up = compose_command(context, project, "up", "-d", "--no-build")
    try:
        if up.returncode != 0:
            return Truth(error=f"docker-compose up failed: {up.stderr[-2000:]}")
        found = client.containers.list(
            all=True, filters={"label": f"com.docker.compose.project={project}"}
        )
        if len(found) != 1:
            return Truth(error=f"expected one container of {project}, found {len(found)}")

        def stop() -> str | None:
            done = compose_command(context, project, "stop", "-t", str(grace))
            return None if done.returncode == 0 else f"docker-compose stop: {done.stderr[-2000:]}"

        return measure_container(found[0], grace, stop)
    finally:
        compose_command(context, project, "down", "--timeout", "0")


# compose containers carry the test labels too, so a crashed run's leftovers are found
COMPOSE_LABELS = {TEST_LABEL: "1", OWNER_LABEL: TEST_OWNER}
