"""IL301: the entrypoint script runs the program as its last command without ``exec``."""

from __future__ import annotations

from collections.abc import Iterator

from initlint.checks.base import rule
from initlint.checks.wording import WHOLE_GRACE
from initlint.knowledge.programs import is_one_shot
from initlint.model import (
    Applicability,
    Finding,
    Fix,
    Prediction,
    RuntimeSpec,
    ScriptInsertExec,
    Severity,
)
from initlint.pid1.argv import shell_family_of
from initlint.pid1.describe import quote, stop_name
from initlint.pid1.script_stop import bash_exit_trap_catches_term
from initlint.pid1.startup import system_shell


@rule(
    "IL301",
    "entrypoint-script-without-exec",
    Severity.ERROR,
    Applicability.SAFE,
    "the entrypoint script runs the program last without exec: the shell stays PID 1",
    about_writing=True,
    intents=(ScriptInsertExec,),
)
def entrypoint_script_without_exec(spec: RuntimeSpec, prediction: Prediction) -> Iterator[Finding]:
    evidence = spec.evidence
    if evidence is None or spec.init is not None or not evidence.script_is_pid1:
        return
    script = evidence.script
    if script is None or script.last_command is None or script.last_offset is None:
        return
    if script.last_is_exec or script.last_is_builtin:
        return
    stop = stop_name(spec)
    program = script.last_words[0] if script.last_words else script.last_command.value
    # a trap does not help: the shell runs it only once the foreground command has ended
    dropped = (
        "held by the shell until it ends (a shell runs its TERM trap between commands)"
        if script.term_handler
        else "dropped by the shell"
    )
    outcome = f"{stop} will {WHOLE_GRACE}"
    family = shell_family_of(script.interpreter, system_shell(spec))
    if not script.term_handler and bash_exit_trap_catches_term(family, script.trapped):
        dropped = "caught by bash to run its EXIT trap"
        outcome = f"bash then ends and {program} is SIGKILLed with the container"
    message = (
        f"the shell running {script.image_path} will be PID 1: it runs "
        f"{quote(script.last_command.value)} as its child instead of exec'ing it, so "
        f"{stop}'s SIGTERM is {dropped} and never reaches {program}, and {outcome}"
    )
    fix: Fix | None = None
    if script.last_is_simple:
        # with background jobs, exec would hand them to the program; with a trap, exec would
        # drop it: not the same container
        changes = script.background_jobs or script.traps_term or script.term_ignored
        applicability = Applicability.UNSAFE if changes else Applicability.SAFE
        fix = Fix(
            applicability,
            f"prefix exec to the last command of {script.image_path}",
            ScriptInsertExec(script.path, script.last_offset),
        )
    finding = entrypoint_script_without_exec.finding(spec, script.last_command.span, message, fix)
    if is_one_shot(script.last_words) and finding.severity > Severity.INFO:
        # a task script (`git push`, `kubectl apply`): it ends by itself, and the dropped
        # signal only matters when it is stopped while the command runs
        finding = finding._replace(
            severity=Severity.INFO,
            message=f"{message} (a task that ends by itself: this matters only if it is "
            "stopped while it runs)",
        )
    yield finding
