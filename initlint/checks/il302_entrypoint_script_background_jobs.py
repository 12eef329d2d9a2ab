"""IL302: the entrypoint script starts background jobs and neither waits nor traps."""

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
    Severity,
)
from initlint.pid1.describe import quote, stop_name


@rule(
    "IL302",
    "entrypoint-script-background-jobs",
    Severity.WARNING,
    Applicability.UNSAFE,
    "the entrypoint script starts background jobs and neither waits for them nor traps signals",
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
    if script is None or not script.background_jobs or script.waits or script.traps_term:
        return
    if script.stops_jobs:
        return  # it stops what it started: a temporary server (official database images)
    first = script.background_jobs[0]
    count = len(script.background_jobs)
    jobs = quote(first.value) + (f" and {count - 1} more" if count > 1 else "")
    stop = stop_name(spec)
    message = (
        f"the shell running {script.image_path} will be PID 1 and starts {jobs} in the "
        f"background without wait or a trap: their signals are lost and their orphans are not "
        f"reaped, and {stop} will {WHOLE_GRACE}"
    )
    fix: Fix | None = None
    last = script.last_command
    if last is not None and script.last_offset is not None and not script.last_is_exec:
        keep_alive = script.last_words and script.last_words[0] in KEEP_ALIVE
        if keep_alive and script.last_is_simple:
            intent = ScriptAppendWait(
                script.path, script.last_offset, script.newline, end=script.end_offset
            )
            description = f"replace {quote(last.value)} with wait"
        else:
            intent = ScriptAppendWait(script.path, script.end_offset, script.newline)
            description = "add wait after the last command"
        fix = Fix(Applicability.UNSAFE, description, intent)
    yield entrypoint_script_background_jobs.finding(spec, first.span, message, fix)
