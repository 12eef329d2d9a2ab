"""IL107: several ENTRYPOINT or CMD instructions in one stage: only the last one counts."""

from __future__ import annotations

from collections.abc import Iterator

from initlint.checks.base import rule
from initlint.model import (
    Applicability,
    Command,
    Finding,
    Fix,
    Prediction,
    RemoveCommands,
    RuntimeSpec,
    Severity,
)
from initlint.pid1.describe import pid1_sentence


@rule(
    "IL107",
    "repeated-entrypoint-or-cmd",
    Severity.WARNING,
    Applicability.UNSAFE,
    "more than one ENTRYPOINT or CMD in one stage: only the last one counts",
    about_writing=True,
    intents=(RemoveCommands,),
)
def repeated_entrypoint_or_cmd(spec: RuntimeSpec, prediction: Prediction) -> Iterator[Finding]:
    if not spec.overridden:
        return
    pid1 = prediction.startup
    tail = f": {pid1_sentence(pid1, spec)}" if pid1 is not None else ""
    for command in spec.overridden:
        keyword = command.role.upper()
        later = _overriding(spec, command)
        by = f"the {keyword} on line {later.span.line}" if later else f"a later {keyword}"
        message = f"this {keyword} never takes effect, {by} replaces it{tail}"
        fix = Fix(
            Applicability.UNSAFE,
            f"remove the overridden {keyword} on line {command.span.line}",
            RemoveCommands((command,)),
        )
        yield repeated_entrypoint_or_cmd.finding(spec, command.span, message, fix)


def _overriding(spec: RuntimeSpec, command: Command) -> Command | None:
    """The next command with the same role after ``command`` in the file."""
    final = spec.entrypoint if command.role == "entrypoint" else spec.cmd
    candidates = [c for c in (*spec.overridden, final) if c is not None]
    later = [
        c
        for c in candidates
        if c.role == command.role
        and c.span.path == command.span.path
        and c.span.start > command.span.start
    ]
    return min(later, key=lambda c: c.span.start) if later else None
