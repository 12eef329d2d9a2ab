"""initlint next to hadolint where CI and pre-commit call them: one file, and a whole corpus.

    .venv/bin/python benchmarks/ci_bench.py [--corpus DIR ...] [--file DOCKERFILE] [--runs N]

Both tools run side by side in the same run, as commands, interleaved so machine load hits
both alike; every figure is a median, wall clock and CPU time (user + system) of the process:

- cold start: ``initlint --version`` (the console script pip writes);
- one file: ``initlint FILE`` against ``hadolint FILE`` (a pre-commit call on one changed
  Dockerfile); goal: initlint within 2x of hadolint's wall time;
- corpus: every Dockerfile under the --corpus folders linted by one initlint command (all
  files as arguments, started once), as it runs by default (a forked worker per core) and
  with ``--jobs 1`` (one process), against ``hadolint --no-fail -f json FILES`` (one
  process per 2,000 files, far below ARG_MAX; hadolint's runtime uses every core too);
  goal: initlint 30x faster.

Default corpus: tests/fixtures/dockerfiles and examples/. The README's table was made on
Dockerfiles of public repositories fetched outside the repository (not shipped with it).

initlint's modules are byte-compiled first, as ``pip install`` does: a checkout run with
PYTHONDONTWRITEBYTECODE would otherwise compile every module on every start.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = (REPO_ROOT / "tests" / "fixtures" / "dockerfiles", REPO_ROOT / "examples")
DEFAULT_FILE = REPO_ROOT / "examples" / "flask-shell-cmd" / "Dockerfile"
ARGS_PER_CALL = 2000
ONE_FILE_GOAL = 2.0  # at most this many times hadolint's wall time
CORPUS_GOAL = 30.0  # at least this many times faster than hadolint
COLD_START_GOAL_MS = 20.0


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float


def run_once(argv: Sequence[str]) -> Run:
    """One command, output discarded: its wall time and the CPU time of it and its children."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        started = time.perf_counter()
        pid = os.posix_spawn(
            argv[0],
            list(argv),
            dict(os.environ),
            file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)],
        )
        _, _status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - started
    finally:
        os.close(devnull)
    return Run(wall, usage.ru_utime + usage.ru_stime)


def median(runs: Sequence[Run]) -> Run:
    return Run(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs))


def interleaved(commands: Sequence[Sequence[Sequence[str]]], repeat: int) -> list[Run]:
    """Each entry of ``commands`` is a list of argvs run one after the other (one
    measurement); the entries take turns ``repeat`` times. Medians, in input order."""
    results: list[list[Run]] = [[] for _ in commands]
    for _ in range(repeat):
        for index, argvs in enumerate(commands):
            parts = [run_once(argv) for argv in argvs]
            results[index].append(Run(sum(p.wall for p in parts), sum(p.cpu for p in parts)))
    return [median(runs) for runs in results]


def dockerfiles(folders: Sequence[Path]) -> list[str]:
    sys.path.insert(0, str(REPO_ROOT))
    from initlint.discovery import is_dockerfile_name

    found: list[str] = []
    for folder in folders:
        for current, directories, files in os.walk(folder):
            directories[:] = sorted(d for d in directories if d not in (".git", "node_modules"))
            found.extend(
                os.path.join(current, name)
                for name in sorted(files)
                if is_dockerfile_name(name) and os.path.isfile(os.path.join(current, name))
            )
    return found


def corpus_check(argv: Sequence[str]) -> str:
    """Run the corpus command once, output kept: it must print initlint's JSON report (a
    driver broken by a CLI change would otherwise be timed as it fails)."""
    import json
    import subprocess

    done = subprocess.run(argv, capture_output=True, text=True, errors="replace", check=False)
    try:
        report = json.loads(done.stdout)
        findings = len(report["findings"])
    except (ValueError, KeyError, TypeError):
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise SystemExit(f"initlint's corpus run failed (exit {done.returncode}): {last}") from None
    return f"{findings} findings, exit {done.returncode}"


def tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found (pip install -e '.[test]' installs both)")
    return found


def chunks(items: Sequence[str], size: int) -> list[list[str]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", action="append", type=Path, help="folder of Dockerfiles")
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="the one-file case")
    parser.add_argument("--runs", type=int, default=21, help="runs of each one-file command")
    parser.add_argument("--corpus-runs", type=int, default=3, help="runs of each corpus command")
    args = parser.parse_args(argv)

    compileall.compile_dir(str(REPO_ROOT / "initlint"), quiet=1)
    initlint, hadolint = tool("initlint"), tool("hadolint")
    files = dockerfiles(args.corpus or list(DEFAULT_CORPUS))
    if not files:
        raise SystemExit("no Dockerfiles in the corpus folders")

    (cold,) = interleaved([[[initlint, "--version"]]], args.runs)
    one = str(args.file)
    one_initlint, one_hadolint = interleaved(
        [[[initlint, "--no-color", one]], [[hadolint, "--no-fail", one]]], args.runs
    )
    with tempfile.TemporaryDirectory() as scratch:
        # one initlint command whatever the count: the file list is read inside it
        listing = Path(scratch) / "files.txt"
        listing.write_text("\n".join(files), encoding="utf-8", errors="surrogateescape")
        driver = (
            "import sys\nfrom initlint.cli import main\n"
            "paths = open(sys.argv[1], encoding='utf-8', errors='surrogateescape').read()"
            ".split('\\n')\nsys.argv = ['initlint', '-f', 'json', '--jobs', sys.argv[2], *paths]"
            "\nmain()\n"
        )
        checked = corpus_check([sys.executable, "-c", driver, str(listing), "0"])
        corpus_initlint, corpus_single, corpus_hadolint = interleaved(
            [
                [[sys.executable, "-c", driver, str(listing), "0"]],  # a worker per core
                [[sys.executable, "-c", driver, str(listing), "1"]],  # one process
                [
                    [hadolint, "--no-fail", "-f", "json", *part]
                    for part in chunks(files, ARGS_PER_CALL)
                ],
            ],
            args.corpus_runs,
        )

    one_ratio = one_initlint.wall / one_hadolint.wall
    hadolint_calls = len(chunks(files, ARGS_PER_CALL))
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print()
    print("| case | initlint wall / CPU | hadolint wall / CPU | ratio (wall) | goal |")
    print("|---|---:|---:|---:|---|")
    print(
        f"| one Dockerfile, one process each ({args.runs} runs) "
        f"| {one_initlint.wall * 1000:.0f} / {one_initlint.cpu * 1000:.0f} ms "
        f"| {one_hadolint.wall * 1000:.0f} / {one_hadolint.cpu * 1000:.0f} ms "
        f"| initlint {one_ratio:.1f}x hadolint's time | <= {ONE_FILE_GOAL:.0f}x: "
        f"{'met' if one_ratio <= ONE_FILE_GOAL else 'not met'} |"
    )
    for how, run in (("one command (a worker per core)", corpus_initlint),
                     ("one process (--jobs 1)", corpus_single)):  # fmt: skip
        ratio = corpus_hadolint.wall / run.wall
        print(
            f"| {len(files)} Dockerfiles, initlint {how}, hadolint in {hadolint_calls} "
            f"command{'s' if hadolint_calls > 1 else ''} ({args.corpus_runs} runs) "
            f"| {run.wall:.2f} / {run.cpu:.2f} s "
            f"| {corpus_hadolint.wall:.2f} / {corpus_hadolint.cpu:.2f} s "
            f"| initlint {ratio:.1f}x faster (CPU {corpus_hadolint.cpu / run.cpu:.1f}x) "
            f"| >= {CORPUS_GOAL:.0f}x: {'met' if ratio >= CORPUS_GOAL else 'not met'} |"
        )
    print()
    print(f"initlint's corpus run, checked once before timing: {checked}.")
    print()
    print(
        f"Cold start `initlint --version`: median {cold.wall * 1000:.1f} ms wall, "
        f"{cold.cpu * 1000:.1f} ms CPU (goal < {COLD_START_GOAL_MS:.0f} ms)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
