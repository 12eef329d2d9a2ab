"""IL105: a whole process supervisor (systemd, supervisord, runit, s6 ...) as the container's
program."""

from __future__ import annotations

from collections.abc import Iterator

from initlint.checks.base import rule
from initlint.checks.common import program_source, system_init
from initlint.knowledge.programs import Role, lookup, program_name
from initlint.knowledge.signals import same_signal
from initlint.model import Applicability, Finding, LaunchKind, Prediction, RuntimeSpec, Severity
from initlint.pid1.describe import pid1_sentence, stop_name, stop_signal

# "init" is only this program at these paths; a project's own ./init script is something else.
_INIT_PATHS = frozenset(
    {"/sbin/init", "/usr/sbin/init", "/init", "/lib/systemd/systemd", "/usr/lib/systemd/systemd"}
)


@rule(
    "IL105",
    "process-supervisor-as-pid1",
    Severity.INFO,
    Applicability.NONE,
    "a process supervisor (systemd, /sbin/init, supervisord, runit, openrc) runs the container "
    "as a small system",
    about_writing=True,
)
def process_supervisor_as_pid1(spec: RuntimeSpec, prediction: Prediction) -> Iterator[Finding]:
    pid1 = prediction.startup
    if pid1 is None or pid1.launch.kind is LaunchKind.NO_SHELL or not pid1.launch.program:
        return
    if pid1.launch.kind is LaunchKind.SHELL:
        return  # the shell that stays PID 1 is the problem: IL101/IL102/IL103 report it
    executable = pid1.launch.program[0]
    program = lookup(executable)
    if program is None or program.role is not Role.SUPERVISOR:
        return
    name = program_name(executable)
    system = system_init(executable, spec)
    if system == "s6-overlay":
        return  # s6-overlay's /init is an init: it reaps, forwards and exits with the app
    if name == "init" and executable not in _INIT_PATHS:
        return
    source = program_source(spec, pid1)
    if source is None:
        return
    _, span = source
    outcome = pid1_sentence(pid1, spec)
    if system == "systemd":
        name = "systemd"
        stop = stop_name(spec)
        signal = stop_signal(spec)
        outcome = (
            f"systemd will be PID 1 and {stop}'s {signal} halts it in order"
            if same_signal(signal, "SIGRTMIN+3")
            else f"systemd will be PID 1 and re-executes itself on {stop}'s {signal} instead of "
            f"stopping, so {stop} will wait the whole grace period, then SIGKILL"
        )
    message = (
        f"{name} runs the container as a small system, its programs' logs mixed and their "
        f"crashes hidden from the engine: {outcome}"
    )
    yield process_supervisor_as_pid1.finding(spec, span, message)
