"""IL102: CMD in shell form, as the PID 1 command or appended to an exec-form ENTRYPOINT."""

from __future__ import annotations

from collections.abc import Iterator

from initlint.checks.base import rule
from initlint.checks.common import exec_form_words, json_problem, repaired_json_words
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
from initlint.pid1.describe import pid1_sentence, quote, unreadable_script
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
        if entrypoint is None:
            message = (
                f"CMD is in shell form: {unreadable_script(shell_label(shell, family), script)}"
            )
            yield shell_form_cmd.finding(spec, cmd.span, message, _fix(cmd, script))
        return
    analysis = pid1.launch.inline
    if (
        entrypoint is None
        and analysis is not None
        and (analysis.verdict is ShellVerdict.EXPLICIT_EXEC)
    ):
        return  # `CMD exec prog`: the shell hands PID 1 to the program on every shell
    if entrypoint is None:
        lead = "CMD is in shell form"
    else:
        lead = (
            f"CMD is in shell form, so the ENTRYPOINT gets {shell} -c {quote(script)} as its "
            "arguments"
        )
    if cmd.inherited_from:
        lead += f" (CMD inherited from {cmd.inherited_from})"
    message = f"{lead}: {pid1_sentence(pid1, spec)}"
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
