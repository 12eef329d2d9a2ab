"""IL106: CMD is set, but the ENTRYPOINT is in shell form, so CMD never runs."""

from __future__ import annotations

from collections.abc import Iterator

from initlint.checks.base import rule
from initlint.model import Applicability, CommandForm, Finding, Prediction, RuntimeSpec, Severity
from initlint.pid1.describe import pid1_sentence


@rule(
    "IL106",
    "cmd-ignored",
    Severity.WARNING,
    Applicability.NONE,
    "CMD set while ENTRYPOINT is in shell form: CMD never runs",
    about_writing=True,
)
def cmd_ignored(spec: RuntimeSpec, prediction: Prediction) -> Iterator[Finding]:
    entrypoint, cmd = spec.entrypoint, spec.cmd
    if entrypoint is None or cmd is None or entrypoint.form is not CommandForm.SHELL:
        return
    if cmd.form is CommandForm.EXEC and not cmd.argv:
        return  # `CMD []` clears an inherited CMD: nothing is lost
    where = f"line {entrypoint.span.line}"
    if entrypoint.inherited_from:
        where += f", inherited from {entrypoint.inherited_from}"
    pid1 = prediction.startup
    if pid1 is None:
        return
    message = (
        f"CMD never runs, because the ENTRYPOINT ({where}) is in shell form: "
        f"{pid1_sentence(pid1, spec)}"
    )
    yield cmd_ignored.finding(spec, cmd.span, message)
