"""IL103: an exec-form ``sh -c`` wrapper whose last command is not exec'd."""

from __future__ import annotations

from collections.abc import Iterator

from initlint.checks.base import rule
from initlint.checks.common import shell_form_matters
from initlint.knowledge.signals import signal_number
from initlint.model import (
    Applicability,
    Command,
    CommandForm,
    Finding,
    Fix,
    InlineScript,
    InsertExec,
    LaunchKind,
    Located,
    Prediction,
    RuntimeSpec,
    Severity,
    ShellVerdict,
)
from initlint.pid1.describe import command_key, pid1_sentence, stop_signal
from initlint.pid1.startup import located_argv, shell_label


@rule(
    "IL103",
    "shell-wrapper-without-exec",
    Severity.WARNING,
    Applicability.SAFE,
    "exec-form sh -c / bash -c wrapper whose last command is not exec'd: the shell stays PID 1",
    about_writing=True,
    intents=(InsertExec,),
)
def shell_wrapper_without_exec(spec: RuntimeSpec, prediction: Prediction) -> Iterator[Finding]:
    pid1 = prediction.startup
    if pid1 is None or pid1.init is not None:
        return  # behind an init the shell is not PID 1
    launch = pid1.launch
    analysis = launch.inline
    if analysis is None or launch.script_index is None or launch.shell is None:
        return
    if not shell_form_matters(pid1, spec):
        return  # the shell execs, or may exec a program that handles SIGTERM, or it ends soon
    if launch.kind not in (LaunchKind.SHELL, LaunchKind.SHELL_DEPENDS):
        return
    placed = located_argv(spec)
    if launch.script_index >= len(placed):
        return
    command, word = placed[launch.script_index]
    if command.form is not CommandForm.EXEC or word is None:
        return  # a shell-form command: IL101/IL102
    number = signal_number(stop_signal(spec))
    if number is not None and number in analysis.trapped:
        return  # the script handles the stop signal itself: a deliberate wrapper
    where = command_key(spec, command)
    shell = shell_label(launch.shell, launch.family)
    lead = f"{where} runs {shell} -c without exec before its last command"
    if not analysis.program_words:
        lead = f"{where} runs {shell} -c ending in a loop"
    elif analysis.verdict is ShellVerdict.STAYS and analysis.why:
        lead += f" ({analysis.why})"
    message = f"{lead}: {pid1_sentence(pid1, spec)}"
    yield shell_wrapper_without_exec.finding(
        spec, word.span, message, _fix(analysis, command, word)
    )


def _fix(analysis: InlineScript, command: Command, word: Located) -> Fix | None:
    if not analysis.exec_insertable:
        return None  # exec cannot take the place of a pipeline or a negated command
    offset = analysis.exec_offset
    description = f"insert exec before {analysis.last_text!r}"
    if analysis.sets_traps:
        return Fix(
            Applicability.UNSAFE,
            description + " (the shell's traps will no longer run)",
            InsertExec(command, word, offset),
        )
    return Fix(Applicability.SAFE, description, InsertExec(command, word, offset))
