"""IL201: the app spawns child processes and nothing in the container reaps orphans."""

from __future__ import annotations

from collections.abc import Iterator

from initlint.checks.base import rule
from initlint.checks.runtime_init import init_fix
from initlint.checks.wording import measured_pid1, pid1_label, pid1_span, stop_outcome
from initlint.knowledge.programs import lookup
from initlint.model import (
    Applicability,
    Finding,
    InjectInit,
    Prediction,
    RuntimeSpec,
    Severity,
)


def _measured(spec: RuntimeSpec, prediction: Prediction) -> Iterator[Finding]:
    """--probe: zombies among PID 1's children when the wait was over."""
    measured = prediction.measured
    if measured is None or not measured.zombies:
        return
    pid1 = measured_pid1(prediction)
    plural = "es" if measured.zombies != 1 else ""
    message = (
        f'measured: PID 1 "{pid1}" left {measured.zombies} zombie process{plural} unreaped '
        f"after {measured.wait_seconds:g} s (children in state Z, read from "
        f"{measured.zombie_source}); nothing in the container reaps orphans"
    )
    yield missing_init_for_spawning_app.finding(spec, spec.span, message)


@rule(
    "IL201",
    "missing-init-for-spawning-app",
    Severity.ERROR,
    Applicability.SAFE,
    "the app spawns child processes and nothing reaps orphans (no init)",
    intents=(InjectInit,),
    measure=_measured,
)
def missing_init_for_spawning_app(spec: RuntimeSpec, prediction: Prediction) -> Iterator[Finding]:
    evidence = spec.evidence
    if evidence is None or spec.init is not None or evidence.reaps_orphans is not False:
        return
    if evidence.pid1_kind in ("python", "node") and evidence.spawns:
        cause = evidence.spawns[0].text
    elif evidence.pid1_kind == "program" and evidence.pid1_argv:
        known = lookup(evidence.pid1_argv[0])
        if known is None or not known.orphans_children:
            return
        cause = f"{evidence.pid1_argv[0]} leaves orphaned helper processes ({known.note})"
    else:
        return
    more = len(evidence.spawns) - 1
    also = f" (and {more} more place{'s' if more > 1 else ''})" if more > 0 else ""
    message = (
        f"{cause}{also}, and {pid1_label(evidence)} will be PID 1 with no init: it never reaps "
        f"orphaned children, so they stay zombies, and {stop_outcome(evidence, spec)}"
    )
    # offered even where ``auto`` knows no strategy for the image: --init-strategy may name
    # one, and the fixer says why it cannot when none applies
    yield missing_init_for_spawning_app.finding(
        spec, pid1_span(spec), message, init_fix(spec, "IL201")
    )
