"""What a rule is: an id, a name, a default severity, its fix applicability and a check."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from initlint.model import (
    Applicability,
    Finding,
    Fix,
    FixIntent,
    Prediction,
    RuntimeSpec,
    Severity,
    Span,
)

# A rule reads the runtime and its prediction (computed once, by run_rules); it never
# recomputes what PID 1 will be.
CheckFunction = Callable[[RuntimeSpec, Prediction], Iterable[Finding]]
# What a rule says about a measured prediction (--probe); rules without one say nothing.
MeasureFunction = Callable[[RuntimeSpec, Prediction], Iterable[Finding]]

# rules about something other than stopping: a container that runs to completion keeps them
_NOT_STOPPING = frozenset({"IL107"})

RULE_PAGE_BASE = "https://github.com/initlint/initlint/blob/main/rules"


class Rule(NamedTuple):
    id: str  # "IL101"
    name: str  # "shell-form-entrypoint"
    severity: Severity
    fix: Applicability  # the best applicability its fixes can have
    summary: str  # one line, for --list-rules and SARIF shortDescription
    check_function: CheckFunction
    # about how a command is written: reported by the file that writes it (the Dockerfile, a
    # script, the base compose file of an override), not again by a service that inherits it
    about_writing: bool = False
    # the fix intents its findings can carry (every fixer has a handler for each)
    intents: tuple[type[FixIntent], ...] = ()
    measure_function: MeasureFunction | None = None

    def check(self, spec: RuntimeSpec, prediction: Prediction | None = None) -> list[Finding]:
        """The rule's findings; ``prediction`` is computed here when the caller has none. On
        a measured prediction (``--probe``) the rule reports what was measured, if it can."""
        if prediction is None:
            from initlint.pid1.predict import predict

            prediction = predict(spec)
        if prediction.measured is not None:
            measure = self.measure_function
            return list(measure(spec, prediction)) if measure is not None else []
        return list(self.check_function(spec, prediction))

    def finding(
        self, spec: RuntimeSpec, span: Span, message: str, fix: Fix | None = None
    ) -> Finding:
        severity = self.severity
        if spec.runs_to_completion and severity > Severity.INFO and self.id not in _NOT_STOPPING:
            # a task that exits by itself: the stop problem only bites when it is cut short
            severity = Severity.INFO
            message += f" ({spec.runs_to_completion}: this matters only if it is stopped early)"
        return Finding(self.id, severity, message, span, fix, container=spec.name)

    @property
    def help_uri(self) -> str:
        return f"{RULE_PAGE_BASE}/{self.id}.md"


def rule(
    rule_id: str,
    name: str,
    severity: Severity,
    fix: Applicability,
    summary: str,
    *,
    about_writing: bool = False,
    intents: tuple[type[FixIntent], ...] = (),
    measure: MeasureFunction | None = None,
) -> Callable[[CheckFunction], Rule]:
    """Decorator turning a check function into its Rule."""

    def wrap(function: CheckFunction) -> Rule:
        return Rule(
            rule_id, name, severity, fix, summary, function, about_writing, intents, measure
        )

    return wrap
