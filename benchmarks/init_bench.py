"""Benchmark initlint-init against tini and dumb-init; prints a markdown table.

    sudo .venv/bin/python benchmarks/init_bench.py [--runs 50] [--signals 1000] [--orphans 10000]

Needs root (PID namespaces via `unshare`), /usr/bin/tini and /usr/bin/dumb-init (Debian
packages `tini`, `dumb-init`). Each init runs as PID 1 of its own namespace wherever that
matters (memory, signals, reaping, idle); start-up is measured both ways. Ours runs with this
script's interpreter (or --python) three ways: the source file by path (compiled at every
start), its bytecode compiled beforehand and run by path (what `initlint --fix` injects: the
image build compiles it), and imported by a launcher from a cached __pycache__.

The early-signal window is the time from the init's exec to the moment its signals are blocked
(a signal sent to a PID 1 before that is lost): each run starts the init with posix_spawn, which
returns once the exec is done, and reads /proc/PID/status until SigBlk is set or the init has
forked (blocking comes first). The reading itself takes ~20 us, the resolution of the figure;
the CPU time includes the exec itself (~0.7 ms for a small dynamically linked C program).
On a loaded machine wall times mostly measure the wait for a CPU; the init's own CPU time up to
that moment (from /proc/PID/schedstat) is the figure load does not inflate.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
INIT_PY = REPO / "initlint" / "init.py"
PYTHON = [sys.executable, "-I", "-S"]  # --python changes it
LATENCY_ROUNDS = 5
UNSHARE = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"]

# The child that timestamps each SIGUSR1 it takes (CLOCK_MONOTONIC is shared by all
# processes, so the benchmark can subtract its own send time).
SIGNAL_CHILD = """
import os, signal, time
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
os.write(1, b"ready\\n")
while True:
    signal.sigwaitinfo({signal.SIGUSR1})
    os.write(1, b"%d\\n" % time.monotonic_ns())
"""

# The child that makes N orphans at once and times how long until the init (PID 1 of the
# namespace, /proc/1) has no child left but this one.
ORPHAN_CHILD = """
import os, sys, time
count = int(sys.argv[1])
intermediate = os.fork()
if intermediate == 0:
    for _ in range(count):
        if os.fork() == 0:
            os._exit(0)
    os._exit(0)
os.waitpid(intermediate, 0)
started = time.monotonic()
me = str(os.getpid())
while open("/proc/1/task/1/children").read().split() != [me]:
    time.sleep(0.002)
print(time.monotonic() - started, flush=True)
time.sleep(60)
"""


# The least a Python PID 1 can be: fork, exec, wait. The memory baseline for ours.
BARE_PYTHON_INIT = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
os.waitpid(pid, 0)
"""


def inits(pyc: Path, module_dir: Path) -> dict[str, list[str]]:
    launcher = (
        f"import sys; sys.path[:0] = [{str(module_dir)!r}]; "
        "import initlint_init; initlint_init.run_as_program()"
    )
    return {
        "initlint-init, source by path": [*PYTHON, str(INIT_PY)],
        "initlint-init, bytecode by path (injected by --fix)": [*PYTHON, str(pyc)],
        "initlint-init, imported from __pycache__": [*PYTHON, "-c", launcher],
        "tini 0.19 (-s)": ["/usr/bin/tini", "-s"],
        "dumb-init 1.2.5": ["/usr/bin/dumb-init"],
    }


class Timing:
    """Median wall-clock and CPU (user + system of the whole process tree) milliseconds."""

    def __init__(self, wall: list[float], cpu: list[float]) -> None:
        self.wall = statistics.median(wall)
        self.cpu = statistics.median(cpu)

    def versus(self, base: Timing) -> str:
        return (
            f"{self.wall:.1f} ({self.wall - base.wall:+.1f})"
            f" / {self.cpu:.1f} ({self.cpu - base.cpu:+.1f})"
        )


def run_timed(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU ms of one run; the CPU time of every waited-for descendant counts."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdin=subprocess.DEVNULL)
    wall = (time.perf_counter() - started) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000
    return wall, cpu


def interleaved(commands: dict[str, list[str]], runs: int) -> dict[str, Timing]:
    """Time each command `runs` times, alternating between them so that load from elsewhere
    on the machine hits all of them alike. CPU time is the figure load does not inflate."""
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            wall, cpu = run_timed(argv)
            walls[name].append(wall)
            cpus[name].append(cpu)
    return {name: Timing(walls[name], cpus[name]) for name in commands}


def children(pid: int) -> list[int]:
    try:
        return [int(w) for w in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def wait_for(predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark set-up timed out")
        time.sleep(0.005)


@contextmanager
def as_pid1(init: list[str], program: list[str]) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """Run `init -- program` as PID 1 of a new namespace; yields (host pid of init, Popen)."""
    process = subprocess.Popen(
        [*UNSHARE, *init, "--", *program],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        wait_for(lambda: bool(children(process.pid)))
        init_pid = children(process.pid)[0]
        wait_for(lambda: bool(children(init_pid)))
        yield init_pid, process
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # unshare --kill-child takes the namespace
        process.communicate(timeout=20)


def status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def private_kib(pid: int) -> int:
    total = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            total += int(line.split()[1])
    return total


def memory(init: list[str]) -> tuple[float, float]:
    with as_pid1(init, ["sleep", "60"]) as (pid, _):
        time.sleep(0.5)
        return status_kib(pid, "VmRSS") / 1024, private_kib(pid) / 1024


def signal_latencies(init: list[str], count: int) -> list[float]:
    """Microseconds from kill(init, SIGUSR1) to the child taking the signal, `count` times."""
    with as_pid1(init, [*PYTHON, "-c", SIGNAL_CHILD]) as (pid, process):
        assert process.stdout is not None
        assert process.stdout.readline() == b"ready\n"
        latencies = []
        for _ in range(count):
            sent = time.monotonic_ns()
            os.kill(pid, signal.SIGUSR1)
            received = int(process.stdout.readline())
            latencies.append((received - sent) / 1000)
        return latencies


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def cpu_ns(pid: int) -> int:
    """Nanoseconds the process has run on a CPU (the scheduler's own count)."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])


def reap_seconds(init: list[str], orphans: int) -> tuple[float, float]:
    """Wall seconds until the init has reaped every orphan, and the init's CPU ms for it."""
    with as_pid1(init, [*PYTHON, "-c", ORPHAN_CHILD, str(orphans)]) as (pid, process):
        assert process.stdout is not None
        before = cpu_ns(pid)
        seconds = float(process.stdout.readline())
        return seconds, (cpu_ns(pid) - before) / 1e6


def idle_wakeups_per_minute(init: list[str], seconds: float) -> float:
    def switches(pid: int) -> int:
        return status_kib(pid, "voluntary_ctxt_switches") + status_kib(
            pid, "nonvoluntary_ctxt_switches"
        )

    with as_pid1(init, ["sleep", "60"]) as (pid, _):
        time.sleep(0.5)
        before = switches(pid)
        time.sleep(seconds)
        return (switches(pid) - before) * 60 / seconds


# The floor for any Python init: the interpreter's own start-up, then a first statement that
# blocks every signal.
BARE_PYTHON_BLOCK = (
    "import _signal; _signal.pthread_sigmask(_signal.SIG_BLOCK, _signal.valid_signals());"
    " import time; time.sleep(0.3)"
)


def signal_window_ms(argv: list[str], runs: int) -> str:
    """Milliseconds from exec to signals blocked (see the module docstring), medians: wall,
    and the init's own CPU time by then (from /proc/PID/schedstat). Not in a
    namespace (the exec must be the init's own); the program is `sleep 0.3`, which the init
    reaps before it exits, so nothing is left behind."""
    walls, cpus = [], []
    for _ in range(runs):
        pid = os.posix_spawnp(argv[0], argv, os.environ, setsid=True)
        started = time.perf_counter_ns()
        status, kids = f"/proc/{pid}/status", f"/proc/{pid}/task/{pid}/children"
        try:
            while True:
                with open(status, "rb") as file:
                    text = file.read()
                blocked = int(text.split(b"SigBlk:", 1)[1].split(None, 1)[0], 16)
                if blocked or Path(kids).read_text().strip():
                    walls.append((time.perf_counter_ns() - started) / 1000)
                    cpus.append(cpu_ns(pid) / 1000)
                    break
        finally:
            os.waitpid(pid, 0)
    return f"{statistics.median(walls) / 1000:.1f} / {statistics.median(cpus) / 1000:.1f}"


def version(python: str) -> str:
    command = [python, "-c", "import sys; print(sys.version.split()[0])"]
    return "Python " + subprocess.run(command, capture_output=True, text=True).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--signals", type=int, default=1000)
    parser.add_argument("--orphans", type=int, default=10000)
    parser.add_argument("--idle-seconds", type=float, default=5.0)
    parser.add_argument("--window-runs", type=int, default=40)
    parser.add_argument("--python", default=sys.executable, help="interpreter for ours")
    args = parser.parse_args()
    PYTHON[0] = args.python
    if os.geteuid() != 0:
        print("needs root: PID namespaces", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory() as scratch:
        pyc = Path(scratch) / "initlint-init"  # bytecode, named as the image has it
        # compiled by the interpreter that will run it, as a RUN step in an image would
        subprocess.run(
            [
                args.python,
                "-I",
                "-c",
                "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2])",
                str(INIT_PY),
                str(pyc),
            ],
            check=True,
        )
        # the same file imported as a module, its bytecode cached in __pycache__ beforehand
        module_dir = Path(scratch) / "lib"
        module_dir.mkdir()
        shutil.copy(INIT_PY, module_dir / "initlint_init.py")
        subprocess.run(
            [
                args.python,
                "-I",
                "-c",
                "import sys; sys.path[:0] = sys.argv[1:]; import initlint_init",
                str(module_dir),
            ],
            check=True,
        )
        candidates = inits(pyc, module_dir)

        startup = {"bare python -I -S -c pass": [*PYTHON, "-c", "pass"], "/bin/true": ["/bin/true"]}
        startup.update({name: [*argv, "--", "/bin/true"] for name, argv in candidates.items()})
        direct = interleaved(startup, args.runs)
        in_namespace = interleaved(
            {name: [*UNSHARE, *argv] for name, argv in startup.items()}, args.runs
        )
        bare = direct["bare python -I -S -c pass"]
        bare_ns = in_namespace["bare python -I -S -c pass"]

        # rounds alternate between the inits so that load from elsewhere hits all alike
        latencies: dict[str, list[float]] = {name: [] for name in candidates}
        for _ in range(LATENCY_ROUNDS):
            for name, init in candidates.items():
                latencies[name] += signal_latencies(init, args.signals // LATENCY_ROUNDS)

        rows = []
        for name, init in candidates.items():
            rss, private = memory(init)
            p50, p99 = percentile(latencies[name], 0.5), percentile(latencies[name], 0.99)
            reap_wall, reap_cpu = reap_seconds(init, args.orphans)
            rows.append(
                (
                    name,
                    in_namespace[name].versus(bare_ns),
                    direct[name].versus(bare),
                    f"{rss:.1f}",
                    f"{private:.1f}",
                    f"{p50:.0f} / {p99:.0f}",
                    f"{reap_wall:.3f} / {reap_cpu:.0f}",
                    f"{idle_wakeups_per_minute(init, args.idle_seconds):.0f}",
                    signal_window_ms([*init, "--", "sleep", "0.3"], args.window_runs),
                )
            )
        bare_rss, bare_private = memory([*PYTHON, "-c", BARE_PYTHON_INIT])
        bare_window = signal_window_ms([*PYTHON, "-c", BARE_PYTHON_BLOCK], args.window_runs)
        rows.append(
            (
                "bare Python PID 1 (fork, exec, wait; nothing else)",
                *["-"] * 2,
                f"{bare_rss:.1f}",
                f"{bare_private:.1f}",
                *["-"] * 3,
                f"{bare_window} (its first statement)",
            )
        )

    print(
        f"{version(args.python)} ({args.python}), {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f}, {args.runs} start-up runs each, {args.signals} signals, "
        f"{args.orphans} orphans\n"
    )
    true_ns, true = in_namespace["/bin/true"], direct["/bin/true"]
    print(
        "Baselines, wall / CPU ms: bare `python3 -I -S -c pass` "
        f"{bare_ns.wall:.1f} / {bare_ns.cpu:.1f} in a new namespace, "
        f"{bare.wall:.1f} / {bare.cpu:.1f} without; `/bin/true` {true_ns.wall:.1f} / "
        f"{true_ns.cpu:.1f} in a new namespace, {true.wall:.1f} / {true.cpu:.1f} without.\n"
    )
    header = (
        "| init | `INIT -- /bin/true` as PID 1, wall / CPU ms (vs bare python) |"
        " same, not PID 1 | idle RSS MiB | idle private MiB |"
        " SIGUSR1 forwarding p50 / p99 µs | reap orphans: wall s / init CPU ms |"
        " idle wake-ups/min | exec to signals blocked, wall / CPU ms |"
    )
    print(header)
    print("|" + "---|" * 9)
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
