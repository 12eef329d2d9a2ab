"""``run_rules``: the one loop that runs rules on a runtime, for every source and image, and
for what ``--probe`` measured.

The prediction is computed here, once per runtime, and handed to every rule. A rule that
raises does not stop the others: its failure is returned next to their findings. The caller
passes only the rules the configuration selects, and each finding has its rule's severity,
measured ones included.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from initlint.checks.base import Rule
from initlint.model import Finding, Prediction, RuntimeSpec
from initlint.pid1.predict import predict


class RuleFailure(NamedTuple):
    """A rule (or the prediction, ``rule_id == ""``) that raised: a bug in initlint."""

    rule_id: str
    error: Exception

    @property
    def where(self) -> str:
        return f"rule {self.rule_id}" if self.rule_id else "the PID 1 prediction"


class RuleRun(NamedTuple):
    """The prediction, and what the rules found in it (the lists are filled by run_rules)."""

    prediction: Prediction | None
    findings: list[Finding]
    failures: list[RuleFailure]


def run_rules(
    spec: RuntimeSpec, rules: Sequence[Rule], measured: Prediction | None = None
) -> RuleRun:
    """Predict what PID 1 of ``spec`` will be and do, then run each rule on the prediction.
    ``measured``: what ``--probe`` measured of the image, which the rules then report on."""
    try:
        prediction = measured if measured is not None else predict(spec)
    except Exception as error:  # a bug in the semantics: no rule can run on this runtime
        return RuleRun(None, [], [RuleFailure("", error)])
    run = RuleRun(prediction, [], [])
    for rule in rules:
        try:
            run.findings.extend(rule.check(spec, prediction))
        except Exception as error:  # a bug in one rule must not hide the others' findings
            run.failures.append(RuleFailure(rule.id, error))
    return run
