"""Docker engine access for the container tests.

`docker_client_or_reason()` hands out a connected `docker.DockerClient`: the engine that
`docker.from_env()` finds, or, when none answers and we are root on Debian, a dockerd this module
starts itself (installing docker.io first when needed). That dockerd is a shared service: it runs in
its own session, outlives the test process and keeps its images under STATE_DIR, so base images are
built once per machine.

The other helpers wrap the SDK the way every container test needs it: no network, a label so
leftovers can be found, removal in `finally`, and zombie counting from the host's process table
(`docker top` cannot show zombies: a process leaves its cgroup before it is reaped).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docker
import docker.errors
from docker.models.containers import Container
from docker.models.images import Image

STATE_DIR = Path("/var/lib/initlint-test")
DATA_ROOT = STATE_DIR / "docker"
DOCKERD_LOG = STATE_DIR / "dockerd.log"
ENGINE_LOCK = STATE_DIR / "engine.lock"
DEFAULT_SOCKET = "unix:///var/run/docker.sock"
PING_TIMEOUT_SECONDS = 60.0

TEST_LABEL = "initlint.test"
# Containers also carry the pid of the test process that made them, so the session-end cleanup
# removes its own leftovers and those of dead sessions, never a concurrent session's containers.
OWNER_LABEL = "initlint.test.owner"
TEST_OWNER = str(os.getpid())

# Kept referenced for the life of the process: a collected Popen of a running child warns.
_started_dockerd: subprocess.Popen[bytes] | None = None


class EngineUnavailable(Exception):
    """No Docker engine can be reached or started here; the message says why."""


def docker_client_or_reason() -> docker.DockerClient | str:
    """Return a connected client, or a one-paragraph reason why there can be none here."""
    try:
        return connect_docker()
    except EngineUnavailable as unavailable:
        return str(unavailable)


def connect_docker() -> docker.DockerClient:
    """Connect to a running engine, starting our own dockerd when there is none."""
    client, error = _ping_from_env()
    if client is not None:
        return client
    if os.environ.get("DOCKER_HOST"):
        raise EngineUnavailable(
            f"DOCKER_HOST={os.environ['DOCKER_HOST']} does not answer ({error}); "
            "not starting a local dockerd in its place"
        )
    if os.geteuid() != 0:
        raise EngineUnavailable(
            f"no Docker engine answers ({error}) and we are not root, so cannot start dockerd"
        )
    if not Path("/etc/debian_version").exists():
        raise EngineUnavailable(
            f"no Docker engine answers ({error}) and this is not Debian; start dockerd by hand"
        )
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(ENGINE_LOCK):
        # Another test session may have started the engine while we waited for the lock.
        client, error = _ping_from_env()
        if client is not None:
            return client
        _install_docker_io_if_missing()
        global _started_dockerd
        _started_dockerd = _start_dockerd()
        return _wait_for_engine(_started_dockerd)


def _ping_from_env() -> tuple[docker.DockerClient | None, str]:
    try:
        client = docker.from_env(timeout=30)
        client.ping()
    except Exception as error:
        return None, f"{type(error).__name__}: {error}"
    return client, ""


@contextlib.contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    with open(path, "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _install_docker_io_if_missing() -> None:
    if shutil.which("dockerd"):
        return
    if not shutil.which("apt-get"):
        raise EngineUnavailable("dockerd is not installed and there is no apt-get to install it")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update", "-q"],
        ["apt-get", "install", "-y", "-q", "--no-install-recommends", "docker.io"],
    ):
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise EngineUnavailable(
                f"installing docker.io failed at `{' '.join(command)}`:\n{result.stderr[-2000:]}"
            )
    if not shutil.which("dockerd"):
        raise EngineUnavailable("docker.io was installed but dockerd is still not on PATH")


def choose_storage_driver(data_root: Path = DATA_ROOT) -> str:
    """overlay2 when an overlay mount works on the data root's file system, else vfs.

    overlay2 needs the lower and upper layers on a file system that supports it (ext4, xfs: yes;
    overlay itself, some network file systems: no); vfs always works but copies whole layers.
    """
    data_root.mkdir(parents=True, exist_ok=True)
    existing = [name for name in ("overlay2", "vfs") if (data_root / name).is_dir()]
    if len(existing) == 1:
        return existing[0]  # keep the images already cached under this driver
    with tempfile.TemporaryDirectory(dir=data_root, prefix="overlay-probe-") as probe:
        probe_dir = Path(probe)
        for name in ("lower", "upper", "work", "merged"):
            (probe_dir / name).mkdir()
        (probe_dir / "lower" / "file").write_text("probe\n")
        options = (
            f"lowerdir={probe_dir / 'lower'},upperdir={probe_dir / 'upper'},"
            f"workdir={probe_dir / 'work'}"
        )
        mounted = subprocess.run(
            ["mount", "-t", "overlay", "overlay", "-o", options, str(probe_dir / "merged")],
            capture_output=True,
            check=False,
        )
        if mounted.returncode != 0:
            return "vfs"
        try:
            readable = (probe_dir / "merged" / "file").read_text() == "probe\n"
            (probe_dir / "merged" / "written").write_text("ok\n")
        finally:
            subprocess.run(["umount", str(probe_dir / "merged")], check=False)
        return "overlay2" if readable else "vfs"


def dockerd_command(storage_driver: str) -> list[str]:
    return [
        "dockerd",
        "--bridge=none",
        "--iptables=false",
        "--ip6tables=false",
        f"--data-root={DATA_ROOT}",
        f"--storage-driver={storage_driver}",
        f"--host={DEFAULT_SOCKET}",
    ]


def _start_dockerd() -> subprocess.Popen[bytes]:
    command = dockerd_command(choose_storage_driver())
    with open(DOCKERD_LOG, "ab") as log:
        log.write(f"\n=== {time.strftime('%Y-%m-%dT%H:%M:%S')} {' '.join(command)}\n".encode())
        log.flush()
        # Its own session: the engine is shared and must survive this test process and any
        # process-group kill aimed at it.
        return subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
            close_fds=True,
        )


def _wait_for_engine(dockerd: subprocess.Popen[bytes]) -> docker.DockerClient:
    deadline = time.monotonic() + PING_TIMEOUT_SECONDS
    last_error = ""
    while time.monotonic() < deadline:
        if dockerd.poll() is not None:
            raise EngineUnavailable(
                f"dockerd exited with status {dockerd.returncode} while starting; "
                f"last lines of {DOCKERD_LOG}:\n{_log_tail(DOCKERD_LOG)}"
            )
        try:
            client = docker.DockerClient(base_url=DEFAULT_SOCKET, timeout=30)
            client.ping()
            return client
        except Exception as error:
            last_error = f"{type(error).__name__}: {error}"
            time.sleep(0.25)
    raise EngineUnavailable(
        f"dockerd did not answer ping within {PING_TIMEOUT_SECONDS:.0f} s ({last_error}); "
        f"last lines of {DOCKERD_LOG}:\n{_log_tail(DOCKERD_LOG)}"
    )


def _log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as error:
        return f"(cannot read {path}: {error})"


class ImageBuildFailed(Exception):
    """`docker build` failed; the message carries the build log."""


def build_image(client: docker.DockerClient, context_dir: Path | str, tag: str) -> Image:
    """Build context_dir/Dockerfile as tag without network access and without pulling."""
    log_lines: list[str] = []
    try:
        image_id: str | None = None
        for chunk in client.api.build(
            path=str(context_dir),
            tag=tag,
            network_mode="none",
            rm=True,
            forcerm=True,
            pull=False,
            decode=True,
        ):
            if "stream" in chunk:
                log_lines.append(chunk["stream"])
            if "error" in chunk:
                raise ImageBuildFailed(
                    f"building {tag} from {context_dir} failed: {chunk['error']}\n"
                    + "".join(log_lines)
                )
            if "aux" in chunk and "ID" in chunk["aux"]:
                image_id = chunk["aux"]["ID"]
    except docker.errors.APIError as error:
        raise ImageBuildFailed(
            f"building {tag} from {context_dir} failed: {error}\n" + "".join(log_lines)
        ) from error
    return client.images.get(image_id or tag)


def run_container(client: docker.DockerClient, image: str | Image, **kwargs: Any) -> Container:
    """Start a detached container with no network, labelled as a test container.

    Prefer `started_container`, which also removes it.
    """
    if kwargs.pop("network_mode", "none") != "none":
        raise ValueError("test containers run with network_mode='none' only")
    labels = {**kwargs.pop("labels", {}), TEST_LABEL: "1", OWNER_LABEL: TEST_OWNER}
    if not kwargs.pop("detach", True):
        raise ValueError("test containers run detached; read output with container.logs()")
    container: Container = client.containers.run(
        image, detach=True, network_mode="none", labels=labels, **kwargs
    )
    # The SDK returns the object it inspected before starting it (State.Pid 0): refresh.
    container.reload()
    return container


@contextlib.contextmanager
def started_container(
    client: docker.DockerClient, image: str | Image, **kwargs: Any
) -> Iterator[Container]:
    """`run_container` whose container is force-removed when the block ends, however it ends."""
    container = run_container(client, image, **kwargs)
    try:
        yield container
    finally:
        try:
            container.remove(force=True)
        except docker.errors.NotFound:
            pass
        except docker.errors.APIError as error:
            if error.status_code != 409:  # 409: a removal is already in progress
                raise


def wait_for_log(container: Container, text: str, timeout: float = 30.0) -> str:
    """Wait until the container's output contains text; return the output so far."""
    deadline = time.monotonic() + timeout
    output = ""
    while time.monotonic() < deadline:
        logs: bytes = container.logs()
        output = logs.decode(errors="replace")
        if text in output:
            return output
        container.reload()
        if container.status not in ("created", "running"):
            break
        time.sleep(0.05)
    raise AssertionError(
        f"container {container.short_id} ({container.status}) did not print {text!r} "
        f"within {timeout} s; output:\n{output}"
    )


def timed_stop(container: Container, timeout: int) -> float:
    """Seconds that `docker stop -t timeout` took for this container."""
    started = time.monotonic()
    container.stop(timeout=timeout)
    return time.monotonic() - started


def container_pid(container: Container) -> int:
    """Host pid of the container's PID 1 (0 when it is not running)."""
    container.reload()
    return int(container.attrs["State"]["Pid"])


def count_zombies(container: Container) -> int:
    """Zombie children of the container's PID 1, read from the host's process table.

    A process leaves its cgroup when it exits, before it is reaped, so `docker top` never lists
    zombies; the host's /proc still does, as children of `State.Pid` in state Z.
    """
    parent = container_pid(container)
    if parent == 0:
        raise ValueError(f"container {container.short_id} is not running")
    zombies = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # the process went away while we looked
        # The command name may contain spaces and parentheses: the fields start after the last ')'.
        state, ppid = stat[stat.rindex(")") + 2 :].split()[:2]
        if state == "Z" and int(ppid) == parent:
            zombies += 1
    return zombies


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftover_test_containers(client: docker.DockerClient) -> list[str]:
    """Remove test containers of this session and of sessions that no longer run.

    Returns the short ids removed.
    """
    removed: list[str] = []
    for container in client.containers.list(all=True, filters={"label": f"{TEST_LABEL}=1"}):
        owner = container.labels.get(OWNER_LABEL, "")
        if owner == TEST_OWNER or not owner.isdigit() or not _pid_alive(int(owner)):
            with contextlib.suppress(docker.errors.NotFound, docker.errors.APIError):
                container.remove(force=True)
                removed.append(container.short_id)
    return removed


if __name__ == "__main__":
    # `python -m tests.support.docker_env`: start (or find) the engine by hand and describe it.
    import sys

    client_or_reason = docker_client_or_reason()
    if isinstance(client_or_reason, str):
        sys.exit(f"no Docker engine: {client_or_reason}")
    info = client_or_reason.info()
    print(
        f"Docker {info['ServerVersion']} at {client_or_reason.api.base_url}, "
        f"storage driver {info['Driver']}, data root {info['DockerRootDir']}"
    )
