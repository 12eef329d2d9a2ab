"""The static side: what initlint predicts for a configuration, from its files alone.

The files are linted as a user lints them (``initlint --local-base-images Dockerfile``,
``compose.yaml``, ``pod.yaml``: the local engine answers questions about base images), and the
runtime's prediction (``"runtimes"`` in ``--format json``) gives the two values a container
shows: ``stop`` (graceful, grace-period, unknown) and ``reaps`` (yes, no, unknown).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from initlint.pipeline import LintOptions, run

# Rules whose finding says docker stop will wait out the grace period: a fix proof holds
# initlint to its word when none of them is left.
STOP_RULES = frozenset({"IL101", "IL102", "IL103", "IL202", "IL301", "IL302"})


@dataclass(frozen=True)
class Predicted:
    stop: str
    reaps: str
    rules: tuple[str, ...]
    why: str = ""
    error: str | None = None


def predict(path: Path) -> Predicted:
    report = run([str(path)], LintOptions(use_docker=True))
    if report.errors:
        return Predicted("error", "error", (), error="; ".join(str(e) for e in report.errors))
    runtimes = [runtime for file in report.files for runtime in file.runtimes]
    if len(runtimes) != 1:
        return Predicted("error", "error", (), error=f"{len(runtimes)} runtimes in {path.name}")
    (runtime,) = runtimes
    ids = tuple(sorted({finding.rule_id for finding in report.findings}))
    return Predicted(runtime.stop, runtime.reaps, ids, runtime.why)
