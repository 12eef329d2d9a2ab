"""IL202: the app will be PID 1 with no SIGTERM handler and no init in front of it."""

from __future__ import annotations

from collections.abc import Iterator

from initlint.checks.base import rule
from initlint.checks.runtime_init import image_init_fix, init_fix, runtime_init_fix
from initlint.checks.wording import (
    init_strategy_known,
    measured_pid1,
    pid1_label,
    pid1_span,
    stop_name,
)
from initlint.knowledge.programs import Role, keeps_alive, lookup, program_name
from initlint.model import (
    AddSigtermHandler,
    Applicability,
    CommandForm,
    Finding,
    Fix,
    InjectInit,
    Prediction,
    RuntimeSpec,
    Severity,
)
from initlint.pid1.describe import stop_signal


def _measured(spec: RuntimeSpec, prediction: Prediction) -> Iterator[Finding]:
    """--probe: the stop ended in SIGKILL when the grace period was over."""
    measured = prediction.measured
    if measured is None or not measured.killed_after_grace or measured.stop_seconds is None:
        return
    pid1 = measured_pid1(prediction)
    message = (
        f'measured: PID 1 "{pid1}" ignored {prediction.signal}; stop took '
        f"{measured.stop_seconds:.2f} s and ended in SIGKILL"
    )
    yield pid1_ignores_sigterm.finding(spec, spec.span, message)


@rule(
    "IL202",
    "pid1-ignores-sigterm",
    Severity.WARNING,
    Applicability.SAFE,
    "the app will be PID 1 with no SIGTERM handler: docker stop waits the whole grace period",
    intents=(InjectInit, AddSigtermHandler),
    measure=_measured,
)
def pid1_ignores_sigterm(spec: RuntimeSpec, prediction: Prediction) -> Iterator[Finding]:
    if spec.init is not None:
        return
    yield from _keep_alive(spec, prediction)
    evidence = spec.evidence
    if evidence is None:
        return
    if evidence.pid1_kind not in ("python", "node") or evidence.sigterm_handled is not False:
        return
    stop = stop_name(spec)
    language = "Python" if evidence.pid1_kind == "python" else "Node"
    message = (
        f"{pid1_label(evidence)} will be PID 1 and installs no SIGTERM handler ({language} has "
        f"none by default and the kernel drops signals PID 1 does not handle), so {stop} will "
        "wait the whole grace period, then SIGKILL"
    )
    fix = runtime_init_fix(spec, "IL202")
    entry = evidence.entry if evidence.pid1_kind == "python" else None
    if fix is None and entry is not None and not init_strategy_known(spec):
        # no init strategy for this image: handle the signal in the application instead
        fix = Fix(
            Applicability.UNSAFE,
            f"add a SIGTERM handler to {evidence.entry_image_path or entry}",
            AddSigtermHandler(entry),
        )
    elif fix is None:
        fix = image_init_fix("IL202")
    yield pid1_ignores_sigterm.finding(spec, pid1_span(spec), message, fix)


def _keep_alive(spec: RuntimeSpec, prediction: Prediction) -> Iterator[Finding]:
    """``sleep infinity``, ``tail -f /dev/null``: the commonest keep-alive commands, and none
    of them has a handler, so as PID 1 they ignore the stop signal."""
    link = prediction.pid1_link
    if link is None or not link.argv or prediction.stop != "grace-period":
        return
    program = lookup(link.argv[0])
    if (
        program is None
        or program.role is not Role.UTILITY
        or not keeps_alive(link.argv, spec.grace_seconds)
    ):
        return
    command = spec.pid1_command
    if command is None or command.form is CommandForm.SHELL:
        return  # a shell form: IL101/IL102 report the same line
    stop, signal = stop_name(spec), stop_signal(spec)
    name = program_name(link.argv[0])
    message = (
        f"{name} will be PID 1 and has no {signal} handler (the kernel drops signals PID 1 "
        f"does not handle), so {stop} will wait the whole grace period, then SIGKILL"
    )
    yield pid1_ignores_sigterm.finding(spec, pid1_span(spec), message, init_fix(spec, "IL202"))
