"""``--probe``: run an image and measure what PID 1 really does with orphans and with the stop.

Each probe runs the image with no network, a read-only root file system where the app allows
it, memory and pid limits and the label ``initlint.probe=1``; lets it settle; counts the
zombies among PID 1's children; stops it with ``docker stop -t GRACE`` (the engine sends the
image's stop signal, then SIGKILL when the grace period is over) and records how long that took
and how it ended. The container is removed in every case, Ctrl-C included.

Zombies are invisible to ``docker top`` (a process leaves its cgroup when it exits, before it is
reaped), so they are counted from a process table: the host's ``/proc`` when the engine runs on
this machine (the container's PID 1 is ``State.Pid`` there), otherwise a helper container that
joins the probed container's PID namespace and reads ``/proc`` from inside.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from initlint.engine.images import EngineUnavailable, connect, get_local_image, image_span
from initlint.errors import InputError
from initlint.knowledge.programs import program_name
from initlint.knowledge.signals import signal_display
from initlint.model import (
    Command,
    CommandForm,
    Link,
    Located,
    Measurement,
    Prediction,
    ReapVerdict,
    RuntimeSpec,
    ShellFamily,
    SourceKind,
    StopSignal,
    StopVerdict,
)

if TYPE_CHECKING:
    import docker
    from docker.models.containers import Container

PROBE_LABEL = "initlint.probe"
SESSION_LABEL = "initlint.probe.session"
DEFAULT_WAIT_SECONDS = 3.0
DEFAULT_GRACE_SECONDS = 10
MEMORY_LIMIT = "512m"
PIDS_LIMIT = 512
SAMPLE_INTERVAL_SECONDS = 0.5
KILLED_EXIT_CODE = 128 + 9
# A stop that ends within this much of the grace period was ended by the engine's SIGKILL.
GRACE_TOLERANCE_SECONDS = 0.25
# Writable scratch space on a read-only root: what apps commonly write to.
READ_ONLY_TMPFS = {"/tmp": "rw,size=64m", "/run": "rw,size=16m"}

HOST_PROC = "host-proc"
HELPER_CONTAINER = "helper-container"
NO_METHOD = "unavailable"


class ProcessInfo(NamedTuple):
    """One process of the container, numbered as inside its PID namespace."""

    pid: int
    ppid: int
    state: str  # the kernel's one-letter state: R, S, D, Z, ...
    name: str  # comm
    argv: tuple[str, ...] = ()  # empty when it cannot be read (zombies, helper method)


# The orphan test: a shell started with ``docker exec`` leaves short-lived background processes
# and exits; the kernel hands them to the container's PID 1 (the exec'd shell's parent is
# outside the container's PID namespace). A PID 1 that reaps collects them; one that does not
# keeps them as zombies, as it would the orphans of any app.
ORPHANS = 3
ORPHAN_WAIT_SECONDS = 0.6
ORPHAN_RECHECK_SECONDS = 0.3
_ORPHAN_MAKER = ["/bin/sh", "-c", " ".join(["sleep 0.1 >/dev/null 2>&1 &"] * ORPHANS)]


class ZombieSample(NamedTuple):
    at_seconds: float  # since the container started
    zombies: int


# ProbeResult's fields, in the order of ``to_dict`` (and so of ``--probe``'s JSON)
_RESULT_FIELDS = (
    "reference", "image_id", "pid1_argv", "stop_signal", "grace_seconds", "wait_seconds",
    "read_only_root", "zombie_method", "processes", "zombies", "max_zombies", "zombie_samples",
    "orphans_left", "exited_before_stop", "stop_seconds", "exit_code", "oom_killed",
    "killed_after_grace", "logs_tail", "notes", "error",
)  # fmt: skip


class ProbeResult:
    """What one probe measured, filled in as it runs. ``error`` is set when the probe itself
    could not run."""

    __slots__ = _RESULT_FIELDS

    def __init__(
        self,
        reference: str,
        image_id: str = "",
        stop_signal: str = "SIGTERM",
        grace_seconds: float = DEFAULT_GRACE_SECONDS,
        wait_seconds: float = DEFAULT_WAIT_SECONDS,
    ) -> None:
        self.reference = reference
        self.image_id = image_id
        self.pid1_argv: tuple[str, ...] = ()
        self.stop_signal = stop_signal
        self.grace_seconds = grace_seconds
        self.wait_seconds = wait_seconds
        self.read_only_root = True
        self.zombie_method = NO_METHOD
        self.processes: tuple[ProcessInfo, ...] = ()
        self.zombies: int | None = None  # children of PID 1 in state Z when the wait was over
        self.max_zombies: int | None = None
        self.zombie_samples: tuple[ZombieSample, ...] = ()
        # the orphan test: zombies among PID 1's children after ``docker exec`` left orphans
        # to it (None: the image has no /bin/sh to make them, or PID 1 ended first)
        self.orphans_left: int | None = None
        self.exited_before_stop = False  # PID 1 ended on its own during the wait
        self.stop_seconds: float | None = None
        self.exit_code: int | None = None
        self.oom_killed = False
        self.killed_after_grace = False  # the stop ended in SIGKILL
        self.logs_tail = ""
        self.notes: tuple[str, ...] = ()
        self.error: str | None = None

    @property
    def pid1_text(self) -> str:
        return " ".join(self.pid1_argv)

    @property
    def reaps(self) -> ReapVerdict:
        """no: zombies piled up (the app's, or the orphan test's); yes: the orphan test's
        orphans were reaped; unknown: neither could be measured."""
        if self.orphans_left is not None:  # zombies that stayed, the app's ones included
            return "no" if self.orphans_left else "yes"
        if self.zombies is None:
            return "unknown"
        return "no" if self.zombies else "yes"

    def to_dict(self) -> dict[str, Any]:
        """The numbers as JSON-able data."""
        data: dict[str, Any] = {name: getattr(self, name) for name in _RESULT_FIELDS}
        data["pid1_argv"] = list(self.pid1_argv)
        data["processes"] = [p._asdict() | {"argv": list(p.argv)} for p in self.processes]
        data["zombie_samples"] = [s._asdict() for s in self.zombie_samples]
        data["notes"] = list(self.notes)
        data["stop_seconds"] = None if self.stop_seconds is None else round(self.stop_seconds, 3)
        return data


# --- the measured prediction -----------------------------------------------------------


def measured_prediction(result: ProbeResult) -> Prediction:
    """What was measured, as the prediction type the static side computes: the same fields,
    plus the times. ``reaps`` is what the orphan test and the app's own zombies showed
    (ProbeResult.reaps)."""
    if result.error:
        stop: StopVerdict = "unknown"
    elif result.exited_before_stop or result.stop_seconds is None:
        stop = "unknown"  # nothing was left to stop
    else:
        stop = "grace-period" if result.killed_after_grace else "graceful"
    reaps = result.reaps
    receiver = program_name(result.pid1_argv[0]) if result.pid1_argv else ""
    link = Link("unknown", result.pid1_argv, "measured: PID 1 as the engine started it", None,
                None, True)  # fmt: skip
    span = image_span(result.reference)
    measurement = Measurement(
        wait_seconds=result.wait_seconds,
        grace_seconds=result.grace_seconds,
        stop_seconds=None if result.stop_seconds is None else round(result.stop_seconds, 3),
        exit_code=result.exit_code,
        killed_after_grace=result.killed_after_grace,
        zombies=result.zombies,
        zombie_source=ZOMBIE_SOURCES.get(result.zombie_method, ""),
    )
    return Prediction(
        path=span.path,
        line=span.line,
        target=result.reference,
        chain=(link,) if result.pid1_argv else (),
        pid1=result.pid1_argv,
        stop=stop,
        signal=signal_display(result.stop_signal),
        receiver=receiver,
        reaps=reaps,
        why=_measured_why(result, stop),
        measured=measurement,
    )


ZOMBIE_SOURCES = {
    HOST_PROC: "the host's process table",
    HELPER_CONTAINER: "a helper container in its PID namespace",
}


def _measured_why(result: ProbeResult, stop: StopVerdict) -> str:
    pid1 = f'PID 1 "{shlex.join(result.pid1_argv)}"' if result.pid1_argv else "PID 1"
    if result.error:
        return f"measured nothing: the probe failed ({result.error})"
    if stop == "unknown":
        return f"measured: {pid1} exited on its own during the wait (status {result.exit_code})"
    seconds = result.stop_seconds or 0.0
    if stop == "grace-period":
        return (
            f"measured: {pid1} ignored {result.stop_signal}; stop took {seconds:.2f} s and "
            "ended in SIGKILL"
        )
    return f"measured: {pid1} stopped on {result.stop_signal} in {seconds:.2f} s"


def probe_spec(result: ProbeResult) -> RuntimeSpec:
    """The runtime a probe measured, for run_rules: the image and the argv PID 1 ran."""
    span = image_span(result.reference)
    command = Command(
        "cmd",
        CommandForm.EXEC,
        result.pid1_argv,
        span,
        tuple(Located(word, span) for word in result.pid1_argv),
    )
    return RuntimeSpec(
        source_kind=SourceKind.IMAGE,
        path=span.path,
        name=result.reference,
        span=span,
        base_image=None,
        shell_family=ShellFamily.UNKNOWN,
        entrypoint=None,
        cmd=command if result.pid1_argv else None,
        stop_signal=StopSignal(result.stop_signal, None),
        stop_grace_seconds=result.grace_seconds,
    )


# --- process tables ---------------------------------------------------------------------


def _parse_stat(text: str) -> tuple[int, str, str, int] | None:
    """pid, comm, state, ppid from a /proc/PID/stat line (comm may hold spaces and ')')."""
    try:
        open_paren = text.index("(")
        close_paren = text.rindex(")")
        pid = int(text[:open_paren].strip())
        state, ppid = text[close_paren + 2 :].split()[:2]
        return pid, text[open_paren + 1 : close_paren], state, int(ppid)
    except (ValueError, IndexError):
        return None


def _namespace_pid(host_pid: int) -> int | None:
    """The pid as the innermost PID namespace numbers it (last field of NSpid)."""
    try:
        for line in Path(f"/proc/{host_pid}/status").read_text().splitlines():
            if line.startswith("NSpid:"):
                return int(line.split()[-1])
    except (OSError, ValueError):
        return None
    return None


def _children_of(pid: int) -> list[int] | None:
    """Children from /proc/PID/task/*/children (one read per thread, not a /proc scan)."""
    children: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    for task in tasks:
        try:
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
        except FileNotFoundError:
            if task == str(pid):
                return None  # kernel without CONFIG_PROC_CHILDREN
            continue
        except OSError:
            continue
        children.extend(int(word) for word in text.split())
    return children


def _children_by_scan() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            parsed = _parse_stat(Path(f"/proc/{entry}/stat").read_text())
        except OSError:
            continue  # it went away while we looked
        if parsed is not None:
            children.setdefault(parsed[3], []).append(parsed[0])
    return children


def host_process_tree(root_pid: int) -> tuple[ProcessInfo, ...]:
    """The host process ``root_pid`` and its descendants, numbered inside their namespace.

    The host may run thousands of processes: the tree is walked from the root through each
    process's ``children`` file, and /proc is scanned only where the kernel lacks those.
    """
    scanned: dict[int, list[int]] | None = None
    tree: list[ProcessInfo] = []
    inner: dict[int, int] = {}
    pending = [root_pid]
    while pending:
        host_pid = pending.pop(0)
        try:
            parsed = _parse_stat(Path(f"/proc/{host_pid}/stat").read_text())
        except OSError:
            continue  # it went away while we looked
        if parsed is None:
            continue
        _, name, state, host_ppid = parsed
        inner[host_pid] = _namespace_pid(host_pid) or host_pid
        tree.append(
            ProcessInfo(
                pid=inner[host_pid],
                ppid=inner.get(host_ppid, 0),
                state=state,
                name=name,
                argv=_host_argv(host_pid),
            )
        )
        children = _children_of(host_pid)
        if children is None:
            if scanned is None:
                scanned = _children_by_scan()
            children = scanned.get(host_pid, [])
        pending.extend(sorted(set(children)))
    return tuple(tree)


def _host_argv(pid: int) -> tuple[str, ...]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ()
    return tuple(part.decode(errors="replace") for part in raw.split(b"\0") if part)


def engine_is_local(container_id: str, host_pid: int) -> bool:
    """Whether ``host_pid`` in this machine's /proc is the container's PID 1."""
    if host_pid <= 0:
        return False
    try:
        return container_id in Path(f"/proc/{host_pid}/cgroup").read_text()
    except OSError:
        return False


# The helper prints every /proc/PID/stat it can see, one a line.
_HELPER_SCRIPT = 'for f in /proc/[0-9]*/stat; do read -r line < "$f" && echo "$line"; done'


def helper_process_tree(
    client: docker.DockerClient, image_id: str, container: Container, session: str
) -> tuple[ProcessInfo, ...] | None:
    """The container's processes as seen by a helper that joins its PID namespace.

    The helper runs the probed image's own /bin/sh (no other image can be assumed on a remote
    engine); None when it cannot run.
    """
    import docker.errors

    helper = None
    try:
        # create + start by hand (not ``run``): a start that fails, as when the probed
        # container has just exited, must not leave the created helper behind
        helper = client.containers.create(
            image_id,
            entrypoint=["/bin/sh", "-c", _HELPER_SCRIPT],
            command=[],
            pid_mode=f"container:{container.id}",
            network_mode="none",
            labels={PROBE_LABEL: "1", SESSION_LABEL: session},
            user="0",
            read_only=True,
        )
        helper.start()
        status = helper.wait(timeout=30)
        output = helper.logs(stdout=True, stderr=False)
    except docker.errors.DockerException:
        return None
    finally:
        if helper is not None:
            _remove(helper)
    if int(status.get("StatusCode", 1)) != 0:
        return None
    rows = [_parse_stat(line) for line in bytes(output).decode(errors="replace").splitlines()]
    table = {row[0]: row for row in rows if row is not None}
    # Keep PID 1 and its descendants: the helper's own shell joined from outside (ppid 0).
    kept: list[ProcessInfo] = []
    pending = [1] if 1 in table else []
    while pending:
        pid = pending.pop(0)
        _, name, state, ppid = table[pid]
        kept.append(ProcessInfo(pid=pid, ppid=ppid, state=state, name=name))
        pending.extend(sorted(p for p, row in table.items() if row[3] == pid and p != pid))
    return tuple(kept)


def zombie_children(processes: Sequence[ProcessInfo]) -> int:
    """Children of PID 1 in state Z: orphans that nobody reaped, and PID 1's own."""
    return sum(1 for p in processes if p.ppid == 1 and p.state == "Z")


# --- one probe --------------------------------------------------------------------------


class _Session:
    """The containers of one ``probe_images`` call, for Ctrl-C cleanup."""

    __slots__ = ("cancelled", "client", "id")

    def __init__(self, client: docker.DockerClient) -> None:
        self.client = client
        self.id = uuid.uuid4().hex[:12]
        self.cancelled = threading.Event()

    def remove_all(self) -> int:
        removed = 0
        with contextlib.suppress(Exception):
            for container in self.client.containers.list(
                all=True, filters={"label": f"{SESSION_LABEL}={self.id}"}
            ):
                with contextlib.suppress(Exception):
                    container.remove(force=True)
                    removed += 1
        return removed


class ProbeCancelled(Exception):
    pass


def _check(session: _Session) -> None:
    if session.cancelled.is_set():
        raise ProbeCancelled


def _start(session: _Session, image_id: str, read_only: bool) -> Container:
    kwargs: dict[str, Any] = {
        "detach": True,
        "network_mode": "none",
        "mem_limit": MEMORY_LIMIT,
        "pids_limit": PIDS_LIMIT,
        "labels": {PROBE_LABEL: "1", SESSION_LABEL: session.id},
    }
    if read_only:
        kwargs["read_only"] = True
        kwargs["tmpfs"] = dict(READ_ONLY_TMPFS)
    kwargs.pop("detach")
    container: Container = session.client.containers.create(image_id, **kwargs)
    try:
        _check(session)
        container.start()  # fails for a missing entrypoint binary: remove what was created
    except BaseException:
        _remove(container)
        raise
    container.reload()
    return container


def _state(container: Container) -> dict[str, Any]:
    container.reload()
    return dict(container.attrs.get("State") or {})


def _sample(
    session: _Session, image_id: str, container: Container, method: str, host_pid: int
) -> tuple[ProcessInfo, ...] | None:
    if method == HOST_PROC:
        return host_process_tree(host_pid)
    if method == HELPER_CONTAINER:
        return helper_process_tree(session.client, image_id, container, session.id)
    return None


def probe_one(
    session: _Session,
    reference: str,
    wait: float = DEFAULT_WAIT_SECONDS,
    grace: int = DEFAULT_GRACE_SECONDS,
    method: str = "auto",
) -> ProbeResult:
    """Run one image and measure it (see the module docstring). Never raises for the image's
    behaviour; an image that is missing raises InputError."""
    attrs = get_local_image(session.client, reference, pull=False)
    config = attrs.get("Config") or {}
    result = ProbeResult(
        reference=reference,
        image_id=str(attrs.get("Id", "")),
        stop_signal=config.get("StopSignal") or "SIGTERM",
        grace_seconds=grace,
        wait_seconds=wait,
    )
    notes: list[str] = []
    container: Container | None = None
    try:
        for read_only in (True, False):
            _check(session)
            container = _start(session, result.image_id, read_only)
            started = time.monotonic()  # the wait counts from when PID 1 runs
            result.read_only_root = read_only
            state = _state(container)
            host_pid = int(state.get("Pid") or 0)
            result.pid1_argv = (
                str(container.attrs.get("Path", "")),
                *(str(a) for a in container.attrs.get("Args") or ()),
            )
            chosen = method
            local = engine_is_local(container.id, host_pid)
            if chosen == "auto" or (chosen == HOST_PROC and not local):
                chosen = HOST_PROC if local else HELPER_CONTAINER
            samples: list[ZombieSample] = []
            processes: tuple[ProcessInfo, ...] | None = None
            deadline = started + wait
            while True:
                _check(session)
                state = _state(container)
                if not state.get("Running"):
                    break
                processes = _sample(session, result.image_id, container, chosen, host_pid)
                if processes is not None:
                    samples.append(
                        ZombieSample(
                            round(time.monotonic() - started, 2), zombie_children(processes)
                        )
                    )
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                time.sleep(min(SAMPLE_INTERVAL_SECONDS, remaining))
            if state.get("Running"):
                break
            # PID 1 ended during the wait: maybe it could not write to the read-only root.
            result.exited_before_stop = True
            result.exit_code = int(state.get("ExitCode", -1))
            result.oom_killed = bool(state.get("OOMKilled"))
            result.logs_tail = _logs_tail(container)
            if not read_only or result.exit_code == 0:
                break
            notes.append(
                f"exited with status {result.exit_code} on a read-only root; probed again "
                "with a writable one"
            )
            _remove(container)
            container = None
            result.exited_before_stop = False
        assert container is not None
        result.zombie_method = chosen if samples else NO_METHOD
        result.zombie_samples = tuple(samples)
        if samples:
            result.zombies = samples[-1].zombies
            result.max_zombies = max(s.zombies for s in samples)
        if processes is not None:
            result.processes = processes
        if not result.exited_before_stop:
            result.orphans_left = _orphan_test(session, result.image_id, container, chosen)
        if not result.exited_before_stop:
            _check(session)
            stop_started = time.monotonic()
            container.stop(timeout=grace)
            result.stop_seconds = time.monotonic() - stop_started
            state = _state(container)
            result.exit_code = int(state.get("ExitCode", -1))
            result.oom_killed = bool(state.get("OOMKilled"))
            result.killed_after_grace = (
                result.exit_code == KILLED_EXIT_CODE
                and not result.oom_killed
                and result.stop_seconds >= grace - GRACE_TOLERANCE_SECONDS
            )
            result.logs_tail = _logs_tail(container)
        else:
            notes.append(f"PID 1 exited on its own during the wait (status {result.exit_code})")
    except ProbeCancelled:
        result.error = "cancelled"
    except Exception as error:  # the engine failed us: say so in the result, probe the rest
        result.error = f"{type(error).__name__}: {error}"
    finally:
        if container is not None:
            _remove(container)
    result.notes = tuple(notes)
    return result


def _orphan_test(session: _Session, image_id: str, container: Container, method: str) -> int | None:
    """Zombies left by the orphan test (see ORPHANS); None when it cannot run."""
    import docker.errors

    try:
        made = container.exec_run(_ORPHAN_MAKER, user="0")
    except docker.errors.DockerException:
        return None
    if made.exit_code != 0:
        return None
    time.sleep(ORPHAN_WAIT_SECONDS)
    state = _state(container)
    if not state.get("Running"):
        return None
    host_pid = int(state.get("Pid") or 0)
    first = _sample(session, image_id, container, method, host_pid)
    if first is None:
        return None
    zombies = {p.pid for p in first if p.ppid == 1 and p.state == "Z"}
    if zombies:
        # a reaping PID 1 may not have collected a child that has just exited: count the
        # zombies still there a moment later
        time.sleep(ORPHAN_RECHECK_SECONDS)
        again = _sample(session, image_id, container, method, host_pid) or ()
        zombies &= {p.pid for p in again if p.ppid == 1 and p.state == "Z"}
    return len(zombies)


def _remove(container: Container) -> None:
    with contextlib.suppress(Exception):
        container.remove(force=True)


def _logs_tail(container: Container, lines: int = 20) -> str:
    try:
        output: bytes = container.logs(tail=lines)
    except Exception:
        return ""
    return output.decode(errors="replace")


# --- many probes ------------------------------------------------------------------------


def _progress_printer(total: int, enabled: bool) -> Callable[[int, str], None]:
    show = enabled and total > 0 and sys.stderr.isatty()

    def report(done: int, reference: str) -> None:
        if not show:
            return
        width = 24
        filled = width * done // total
        bar = "#" * filled + "-" * (width - filled)
        end = "\n" if done == total else ""
        sys.stderr.write(f"\r\x1b[2Kprobing [{bar}] {done}/{total} {reference}{end}")
        sys.stderr.flush()

    return report


def probe_images(
    refs: Sequence[str],
    wait: float = DEFAULT_WAIT_SECONDS,
    jobs: int = 0,
    progress: bool = False,
    grace: int = DEFAULT_GRACE_SECONDS,
    method: str = "auto",
) -> list[ProbeResult]:
    """Probe each image (``jobs`` at a time; 0: one per core, at most 4), results in order.

    InputError when there is no engine or an image is missing (checked before any runs).
    Ctrl-C removes every container of this call before it propagates.
    """
    if not refs:
        return []
    try:
        client = connect(timeout=max(60.0, grace + 30.0))
    except EngineUnavailable as error:
        raise InputError(refs[0], str(error)) from None
    try:
        for ref in refs:
            get_local_image(client, ref, pull=False)
        session = _Session(client)
        workers = jobs if jobs > 0 else min(4, os.cpu_count() or 1)
        report = _progress_printer(len(refs), progress)
        results: dict[int, ProbeResult] = {}
        pool = ThreadPoolExecutor(max_workers=min(workers, len(refs)))
        try:
            futures: dict[Future[ProbeResult], int] = {
                pool.submit(probe_one, session, ref, wait, grace, method): index
                for index, ref in enumerate(refs)
            }
            report(0, "")
            for future in as_completed(futures):
                index = futures[future]
                results[index] = future.result()
                report(len(results), refs[index])
        except BaseException:
            session.cancelled.set()
            session.remove_all()
            # Workers notice at their next step (their containers are gone, so their calls
            # return at once); one may have been creating a container during the sweep.
            pool.shutdown(wait=True, cancel_futures=True)
            session.remove_all()
            raise
        pool.shutdown(wait=True)
        session.remove_all()  # belt and braces: nothing of ours outlives the call
        return [results[i] for i in range(len(refs))]
    finally:
        client.close()
