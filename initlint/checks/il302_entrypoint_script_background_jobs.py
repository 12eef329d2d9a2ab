"""IL302: the entrypoint script starts background jobs that will never hear the stop signal.

A shell that is PID 1 with background jobs needs both a TERM trap (without one the kernel
drops SIGTERM) and an interruptible ``wait`` (a trap waits for a foreground command to end).
Jobs started before ``exec other`` are left behind: the signal goes to the other program.
"""

from __future__ import annotations

from collections.abc import Iterator

from initlint.checks.base import rule
from initlint.checks.wording import WHOLE_GRACE
from initlint.knowledge.shells import KEEP_ALIVE
from initlint.model import (
    Applicability,
    Finding,
    Fix,
    Prediction,
    RuntimeSpec,
    ScriptAppendWait,
    ScriptFacts,
    Severity,
)
from initlint.pid1.argv import shell_family_of
from initlint.pid1.describe import quote, stop_name
from initlint.pid1.script_stop import Forwarding, script_stop
from initlint.pid1.startup import system_shell


@rule(
    "IL302",
    "entrypoint-script-background-jobs",
    Severity.WARNING,
    Applicability.UNSAFE,
    "the entrypoint script starts background jobs without a TERM trap and an interruptible wait",
    about_writing=True,
    intents=(ScriptAppendWait,),
)
def entrypoint_script_background_jobs(
    spec: RuntimeSpec, prediction: Prediction
) -> Iterator[Finding]:
    evidence = spec.evidence
    if evidence is None or spec.init is not None or not evidence.script_is_pid1:
        return
    script = evidence.script
    if script is None or not script.background_jobs:
        return
    if script.stops_jobs:
        return  # it stops what it started: a temporary server (official database images)
    first = script.background_jobs[0]
    count = len(script.background_jobs)
    jobs = quote(first.value) + (f" and {count - 1} more" if count > 1 else "")
    stop = stop_name(spec)
    head = (
        f"the shell running {script.image_path} will be PID 1 and starts {jobs} in the background"
    )
    if script.ending == "exec" and script.last_command is not None:
        message = (
            f"{head}, then replaces itself with {quote(script.last_command.value)}: the jobs "
            f"never get {stop}'s signal and are SIGKILLed when PID 1 ends"
        )
        yield entrypoint_script_background_jobs.finding(spec, first.span, message, None)
        return
    if script.ending in ("builtin", "background") and not script.waits:
        message = (
            f"{head} and ends without waiting for them: the container stops as soon as the "
            "script ends, and the jobs are SIGKILLed with it"
        )
        yield entrypoint_script_background_jobs.finding(spec, first.span, message, _fix(script))
        return
    family = shell_family_of(script.interpreter, system_shell(spec))
    verdict = script_stop(script, family, Forwarding.PID1)
    if verdict.verdict != "grace-period":
        return
    if not script.term_handler:
        problem = "without a TERM trap: the kernel drops SIGTERM for PID 1"
        if script.term_ignored:
            problem = "and ignores SIGTERM (trap '' TERM)"
    elif script.ending == "foreground" and script.last_command is not None:
        problem = (
            f"and its TERM trap cannot run while {quote(script.last_command.value)} runs in the "
            "foreground (a shell runs traps between commands; wait is interrupted)"
        )
    else:
        problem = f"and {verdict.why}"
    message = f"{head} {problem}; the jobs never hear of it, and {stop} will {WHOLE_GRACE}"
    yield entrypoint_script_background_jobs.finding(spec, first.span, message, _fix(script))


def _fix(script: ScriptFacts) -> Fix | None:
    """A forwarding trap at the top (unless the script traps TERM) and ``wait`` at the end."""
    last = script.last_command
    if script.term_ignored or script.handler_forwards_with_jobs:
        return None  # the script's own trap would have to change: left to its author
    if script.ending == "wait":
        if script.term_handler:
            return None
        intent = ScriptAppendWait(script.path, script.end_offset, script.newline, end=None)
        return Fix(Applicability.UNSAFE, "add a TERM trap that forwards to the jobs", intent)
    if script.ending in ("builtin", "background"):
        intent = ScriptAppendWait(script.path, script.end_offset, script.newline)
        return Fix(Applicability.UNSAFE, "add a forwarding TERM trap, and wait at the end", intent)
    if last is None or script.last_offset is None or script.ending != "foreground":
        return None
    if not script.last_is_simple:
        return None
    trap = "" if script.term_handler else "add a TERM trap that forwards to the jobs, "
    if script.last_words and script.last_words[0] in KEEP_ALIVE:
        intent = ScriptAppendWait(
            script.path, script.last_offset, script.newline, end=script.end_offset
        )
        return Fix(Applicability.UNSAFE, f"{trap}replace {quote(last.value)} with wait", intent)
    if script.term_handler:
        return None  # its own trap does not know the newly backgrounded command: not ours to edit
    intent = ScriptAppendWait(script.path, script.end_offset, script.newline)
    description = f"{trap}run {quote(last.value)} in the background too and wait"
    return Fix(Applicability.UNSAFE, description, intent)
