"""Small rules with the real Rule interface, so CLI and report tests do not depend on the
exact verdicts of the real rules (those have their own tests)."""

from __future__ import annotations

from collections.abc import Iterator

from initlint.checks.base import Rule, rule
from initlint.model import (
    Applicability,
    CommandForm,
    Finding,
    Fix,
    Prediction,
    RuntimeSpec,
    Severity,
)


@rule(
    "IL101", "shell-form-entrypoint", Severity.ERROR, Applicability.SAFE, "ENTRYPOINT in shell form"
)
def shell_form_entrypoint(spec: RuntimeSpec, prediction: Prediction) -> Iterator[Finding]:
    command = spec.entrypoint
    if command and command.form is CommandForm.SHELL and command.inherited_from is None:
        fix = Fix(Applicability.SAFE, "Rewrite ENTRYPOINT in exec form")
        message = "ENTRYPOINT in shell form: /bin/sh is PID 1 and docker stop waits for SIGKILL"
        yield shell_form_entrypoint.finding(spec, command.span, message, fix)


@rule("IL102", "shell-form-cmd", Severity.ERROR, Applicability.SAFE, "CMD in shell form")
def shell_form_cmd(spec: RuntimeSpec, prediction: Prediction) -> Iterator[Finding]:
    command = spec.cmd
    if command and command.form is CommandForm.SHELL and command.inherited_from is None:
        message = "CMD in shell form: /bin/sh is PID 1 and docker stop waits for SIGKILL"
        yield shell_form_cmd.finding(spec, command.span, message)


@rule(
    "IL105",
    "process-supervisor-as-pid1",
    Severity.INFO,
    Applicability.NONE,
    "A supervisor is PID 1",
)
def supervisor(spec: RuntimeSpec, prediction: Prediction) -> Iterator[Finding]:
    command = spec.pid1_command
    if command is not None and any("supervisord" in word for word in spec.argv[:3]):
        yield supervisor.finding(spec, command.span, "supervisord is PID 1: a system container")


@rule("IL107", "repeated-entrypoint-or-cmd", Severity.WARNING, Applicability.UNSAFE, "Repeated CMD")
def repeated(spec: RuntimeSpec, prediction: Prediction) -> Iterator[Finding]:
    for command in spec.overridden:
        message = f"this {command.role.upper()} is overridden by a later one and never runs"
        yield repeated.finding(spec, command.span, message, Fix(Applicability.UNSAFE, "Remove it"))


STUB_RULES: tuple[Rule, ...] = (shell_form_entrypoint, shell_form_cmd, supervisor, repeated)
