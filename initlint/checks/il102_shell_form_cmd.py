"""IL102: CMD in shell form, as the PID 1 command or appended to an exec-form ENTRYPOINT."""

from __future__ import annotations

from collections.abc import Iterator

from initlint.checks.base import rule
from initlint.checks.common import (
    exec_form_words,
    json_problem,
    repaired_json_words,
    shell_form_matters,
)
from initlint.knowledge.signals import signal_number
from initlint.model import (
    Applicability,
    Command,
    CommandForm,
    Finding,
    Fix,
    Prediction,
    RuntimeSpec,
    Severity,
    ShellFamily,
    ShellVerdict,
    ToExecForm,
)
from initlint.pid1.argv import is_shell, shell_family_of, shell_invocation
from initlint.pid1.describe import pid1_sentence, quote, stop_name, stop_signal
from initlint.pid1.inline import analyse_script
from initlint.pid1.startup import shell_label


@rule(
    "IL102",
    "shell-form-cmd",
    Severity.ERROR,
    Applicability.SAFE,
    "CMD in shell form: /bin/sh -c runs it, as PID 1 or as the ENTRYPOINT's arguments",
    about_writing=True,
    intents=(ToExecForm,),
)
def shell_form_cmd(spec: RuntimeSpec, prediction: Prediction) -> Iterator[Finding]:
    cmd = spec.cmd
    if cmd is None or cmd.form is not CommandForm.SHELL or cmd.script is None or not cmd.shell:
        return
    if not is_shell(cmd.shell[0]):
        return  # no shell initlint knows (a Windows SHELL): nothing precise to say
    entrypoint = spec.entrypoint
    if entrypoint is not None:
        if entrypoint.form is CommandForm.SHELL:
            return  # CMD never runs: IL106
        invocation = shell_invocation(entrypoint.argv)
        if invocation is not None and invocation.script_index >= len(entrypoint.argv):
            return  # ENTRYPOINT ["sh", "-c"]: the CMD words become the script (IL103's ground)
    script = cmd.script.value
    shell = cmd.shell[0]
    family = shell_family_of(shell, prediction.system_shell)
    problem = json_problem(script)
    if problem is not None:
        yield _broken_json(spec, cmd, problem, shell_label(shell, family))
        return
    if family is ShellFamily.NONE:
        message = (
            f"CMD is in shell form, but {spec.base_image or 'the image'} has no shell: the "
            f"container will not start, because {shell} does not exist"
        )
        yield shell_form_cmd.finding(spec, cmd.span, message, _fix(cmd, script))
        return
    pid1 = prediction.startup
    if pid1 is None:
        return  # what the script does is not known: say nothing
    if entrypoint is not None and pid1.init is None:
        yield from _appended(spec, cmd, script, shell, family)
        return
    inline = pid1.launch.inline
    if entrypoint is None and inline is not None and inline.verdict is ShellVerdict.EXPLICIT_EXEC:
        return  # `CMD exec prog`: the shell hands PID 1 to the program on every shell
    if not shell_form_matters(pid1, spec):
        return  # the shell execs the program (or which it does is unknown): as exec form
    lead = "CMD is in shell form"
    if entrypoint is not None:
        lead = (
            f"CMD is in shell form, so the ENTRYPOINT gets {shell} -c {quote(script)} as its "
            "arguments"
        )
    if cmd.inherited_from:
        lead += f" (CMD inherited from {cmd.inherited_from})"
    message = f"{lead}: {pid1_sentence(pid1, spec)}"
    yield shell_form_cmd.finding(spec, cmd.span, message, _fix(cmd, script))


def _appended(
    spec: RuntimeSpec, cmd: Command, script: str, shell: str, family: ShellFamily
) -> Iterator[Finding]:
    """A shell-form CMD after an exec-form ENTRYPOINT that is not an init: the ENTRYPOINT
    gets ``/bin/sh -c script``; entrypoint scripts exec their arguments, and then the shell
    is PID 1 when it stays (dash, or a script no shell execs)."""
    inline = analyse_script(script, family)
    if inline is None or inline.verdict is not ShellVerdict.STAYS:
        return
    label = shell_label(shell, family)
    stop = stop_name(spec)
    lead = (
        f"CMD is in shell form, so the ENTRYPOINT gets {shell} -c {quote(script)} as its arguments"
    )
    if cmd.inherited_from:
        lead += f" (CMD inherited from {cmd.inherited_from})"
    number = signal_number(stop_signal(spec))
    outcome = (
        f"{stop}'s {stop_signal(spec)} will run the shell's trap"
        if number is not None and number in inline.trapped
        else f"{stop} will wait the whole grace period, then SIGKILL"
    )
    message = (
        f"{lead} as its arguments: when it execs them, as entrypoint scripts do, {label} will "
        f"be PID 1 running "
        f"{quote(inline.last_text or script)} ({inline.why}) and {outcome}"
    )
    yield shell_form_cmd.finding(spec, cmd.span, message, _fix(cmd, script))


def _fix(cmd: Command, script: str) -> Fix | None:
    words = exec_form_words(script)
    if words is None:
        return None
    return Fix(Applicability.SAFE, f"write CMD in exec form: {list(words)}", ToExecForm(cmd, words))


def _broken_json(spec: RuntimeSpec, cmd: Command, problem: str, shell: str) -> Finding:
    assert cmd.script is not None
    words = repaired_json_words(cmd.script.value)
    fix = None
    if words is not None:
        fix = Fix(
            Applicability.UNSAFE,
            f"write it as the exec-form array it was meant to be: {list(words)}",
            ToExecForm(cmd, words),
        )
    message = (
        f"CMD looks like exec form but {problem}, so Docker runs the text as a shell command: "
        f"{shell} will be PID 1 and fail to find a program named like the first element, so "
        "the container exits at once"
    )
    if spec.entrypoint is not None:
        message = (
            f"CMD looks like exec form but {problem}, so Docker passes it to the ENTRYPOINT as "
            f"{shell} -c and the text: the ENTRYPOINT's program gets a broken command"
        )
    return shell_form_cmd.finding(spec, cmd.span, message, fix)
