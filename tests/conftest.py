"""Session fixtures shared by the whole test suite.

Tests that need Docker take `docker_client` (or an image fixture) and carry
`@pytest.mark.docker`; tests that need PID namespaces take `require_pidns` and carry
`@pytest.mark.pidns`. When what they need is missing they skip with the reason, or fail when
CI=true (see tests.support.skip_or_fail).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

# `tests` is not an installed package: make `import tests.support...` work however pytest is run.
REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.support import skip_or_fail  # noqa: E402
from tests.support.base_images import (  # noqa: E402
    BaseImageFailed,
    ensure_busybox_image,
    ensure_debian_python_image,
)
from tests.support.docker_env import (  # noqa: E402
    docker_client_or_reason,
    remove_leftover_test_containers,
)


def pytest_configure(config: pytest.Config) -> None:
    """Give the processes the tests start the signal dispositions of an interactive shell.

    A shell that starts pytest as a background job (`pytest &`) leaves SIGINT and SIGQUIT
    ignored, every child inherits that, and the tests that send Ctrl-C or read a child's ignored
    signals would measure the caller's shell instead of initlint.
    """
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


@pytest.fixture(scope="session")
def docker_client() -> Iterator[docker.DockerClient]:
    """A connected Docker client; starts the shared test dockerd when no engine runs."""
    client_or_reason = docker_client_or_reason()
    if isinstance(client_or_reason, str):
        skip_or_fail(f"no Docker engine: {client_or_reason}")
    client = client_or_reason
    remove_leftover_test_containers(client)
    try:
        yield client
    finally:
        remove_leftover_test_containers(client)
        client.close()


@pytest.fixture(scope="session")
def debian_python_image(docker_client: docker.DockerClient) -> str:
    """Tag of the local Debian bookworm image with python3 (/bin/sh is dash); built once."""
    try:
        return ensure_debian_python_image(docker_client)
    except BaseImageFailed as failure:
        skip_or_fail(f"cannot build the Debian python base image: {failure}")


@pytest.fixture(scope="session")
def busybox_image(docker_client: docker.DockerClient) -> str:
    """Tag of the local busybox-static image (/bin/sh is busybox ash); built once."""
    try:
        return ensure_busybox_image(docker_client)
    except BaseImageFailed as failure:
        skip_or_fail(f"cannot build the busybox base image: {failure}")


@pytest.fixture(scope="session")
def require_pidns() -> None:
    """Skip (fail in CI) unless `unshare --pid --fork --mount-proc` works here."""
    command = ["unshare", "--pid", "--fork", "--mount-proc", "true"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        skip_or_fail(f"PID namespaces unavailable: `{' '.join(command)}`: {error}")
    if result.returncode != 0:
        skip_or_fail(
            f"PID namespaces unavailable: `{' '.join(command)}` exited {result.returncode}: "
            f"{result.stderr.strip()}"
        )
