"""The findings the rules report on what a probe measured, as ``initlint --probe`` does."""

from __future__ import annotations

from initlint.checks.registry import ALL_RULES
from initlint.checks.runner import run_rules
from initlint.engine.probe import ProbeResult, measured_prediction, probe_spec
from initlint.model import Finding


def probe_findings(result: ProbeResult) -> list[Finding]:
    return run_rules(probe_spec(result), ALL_RULES, measured_prediction(result)).findings
