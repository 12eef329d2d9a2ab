"""IL108: an invalid stop signal, or a known program without the signal it stops gracefully on."""

from __future__ import annotations

from collections.abc import Iterator

from initlint.checks.base import rule
from initlint.checks.common import program_source, system_init
from initlint.knowledge.images import base_facts
from initlint.knowledge.programs import lookup, program_name
from initlint.knowledge.signals import same_signal, signal_number
from initlint.model import (
    Applicability,
    Finding,
    Fix,
    LaunchKind,
    Prediction,
    RuntimeSpec,
    SetStopSignal,
    Severity,
    SourceKind,
)
from initlint.pid1.describe import pid1_sentence, stop_name, stop_signal


@rule(
    "IL108",
    "stop-signal",
    Severity.WARNING,
    Applicability.SAFE,
    "STOPSIGNAL is not a valid signal, or a program that stops gracefully on another signal "
    "(nginx, httpd, php-fpm) runs without it",
    intents=(SetStopSignal,),
)
def stop_signal_check(spec: RuntimeSpec, prediction: Prediction) -> Iterator[Finding]:
    configured = spec.stop_signal
    if configured is not None and configured.span is not None:
        value = configured.value.strip()
        # empty: an ARG without a default, which a --build-arg may still set
        if value and "$" not in value and signal_number(value) is None:
            setting, outcome = "STOPSIGNAL", "docker build rejects the image"
            if spec.source_kind is SourceKind.COMPOSE and configured.span.path == spec.path:
                setting, outcome = "stop_signal", "docker compose rejects the service"
            message = (
                f"{setting} {value} is not a signal: use a name such as SIGTERM or TERM, "
                f"SIGRTMIN+n, or a number from 1 to 64; {outcome}, so no container will run"
            )
            yield stop_signal_check.finding(spec, configured.span, message)
            return
    yield from _graceful_signal(spec, prediction)


def _graceful_signal(spec: RuntimeSpec, prediction: Prediction) -> Iterator[Finding]:
    pid1 = prediction.startup
    if pid1 is None or pid1.launch.kind is not LaunchKind.PROGRAM or not pid1.launch.program:
        return  # a shell in between never passes the signal on: IL101/IL102/IL103 say so
    executable = pid1.launch.program[0]
    systemd = system_init(executable, spec) == "systemd"
    program = lookup("systemd" if systemd else executable)
    if program is None or program.graceful_stop_signal is None:
        return
    if spec.pre_stop is not None:
        return  # a preStop hook runs first and may well stop the program gracefully
    if spec.stop_signal is None and not base_facts(spec).stop_signal_known:
        return  # the base image's tag may set the graceful signal itself: unknown
    wanted = program.graceful_stop_signal
    current = stop_signal(spec)
    if signal_number(current) is None or same_signal(current, wanted):
        return
    source = program_source(spec, pid1)
    configured = spec.stop_signal
    if configured is not None and configured.span is not None:
        span = configured.span
    elif source is not None:
        span = source[1]
    else:
        return
    name = program_name(pid1.launch.program[0])
    message = (
        f"the stop signal is {current}, but {name} stops gracefully on {wanted}: "
        f"{pid1_sentence(pid1, spec)}"
    )
    if systemd:
        stop = stop_name(spec)
        message = (
            f"the stop signal is {current}, but systemd halts in order only on {wanted}: "
            f"systemd will be PID 1 and re-executes itself on {stop}'s {current} instead of "
            f"stopping, so {stop} will wait the whole grace period, then SIGKILL"
        )
    fix: Fix | None = Fix(
        Applicability.SAFE, f"set STOPSIGNAL {wanted}", SetStopSignal(wanted, configured)
    )
    if spec.source_kind is SourceKind.COMPOSE:
        fix = Fix(
            Applicability.SAFE, f"set stop_signal: {wanted}", SetStopSignal(wanted, configured)
        )
    elif spec.source_kind is SourceKind.KUBERNETES:
        fix = None  # a pod has no stop signal setting
        message += (
            f"; a pod cannot choose the signal: set STOPSIGNAL {wanted} in the image, or add a "
            "lifecycle.preStop hook that stops it gracefully"
        )
    yield stop_signal_check.finding(spec, span, message, fix)
