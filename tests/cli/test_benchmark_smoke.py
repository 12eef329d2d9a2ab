"""benchmarks/lint_bench.py keeps working (its numbers are for the closing note, not asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def _bench(script: str, *args: str) -> str:
    """Run benchmarks/<script> from the repository root; its output, once it exited 0."""
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "benchmarks" / script), *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_lint_bench_prints_its_table() -> None:
    stdout = _bench(
        "lint_bench.py", "examples", "--repeat", "1", "--cold-runs", "3", "--no-per-file"
    )
    assert "| initlint | in process (pipeline.run, all files) | 7 |" in stdout
    assert "initlint in process vs hadolint, one process, all files as args" in stdout
    assert "Cold start `initlint --version`: median" in stdout


def test_ci_bench_prints_both_ratios() -> None:
    stdout = _bench("ci_bench.py", "--corpus", "examples", "--runs", "1", "--corpus-runs", "1")
    assert "| one Dockerfile, one process each (1 runs) |" in stdout
    assert (
        "| 7 Dockerfiles, initlint one command (a worker per core), hadolint in 1 command "
        "(1 runs) |" in stdout
    )
    assert "| 7 Dockerfiles, initlint one process (--jobs 1), hadolint in 1 command" in stdout
    assert "Cold start `initlint --version`: median" in stdout
