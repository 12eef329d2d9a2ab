"""The static side: what initlint predicts for a configuration, from its files alone.

The files are linted as a user lints them (``initlint Dockerfile``, ``initlint compose.yaml``,
``initlint pod.yaml``; the local engine answers questions about base images) and the
prediction is reduced to the two values a container shows: ``stop`` (graceful, grace-period,
unknown) and ``reaps`` (yes, no, unknown).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from initlint.pipeline import LintOptions, run

# Rules whose finding means: docker stop will wait out the grace period.
STOP_RULES = frozenset({"IL101", "IL102", "IL103", "IL202", "IL301", "IL302"})
REAP_RULES = frozenset({"IL201"})


@dataclass(frozen=True)
class Predicted:
    stop: str
    reaps: str
    rules: tuple[str, ...]
    why: str = ""
    error: str | None = None


def predict(path: Path) -> Predicted:
    report = run([str(path)], LintOptions())
    if report.errors:
        return Predicted("error", "error", (), error="; ".join(str(e) for e in report.errors))
    ids = tuple(sorted({finding.rule_id for finding in report.findings}))
    stop = "grace-period" if STOP_RULES & set(ids) else "graceful"
    reaps = "no" if REAP_RULES & set(ids) else "unknown"
    why = " | ".join(f"{f.rule_id}: {f.message}" for f in report.findings)
    return Predicted(stop, reaps, ids, why)
