"""IL101: ENTRYPOINT in shell form."""

from __future__ import annotations

from collections.abc import Iterator

from initlint.checks.base import rule
from initlint.checks.common import (
    exec_form_words,
    json_problem,
    repaired_json_words,
    shell_form_matters,
)
from initlint.model import (
    Applicability,
    CommandForm,
    Finding,
    Fix,
    Prediction,
    RuntimeSpec,
    Severity,
    ShellFamily,
    ToExecForm,
)
from initlint.pid1.argv import is_shell, shell_family_of
from initlint.pid1.describe import pid1_sentence
from initlint.pid1.startup import shell_label


@rule(
    "IL101",
    "shell-form-entrypoint",
    Severity.ERROR,
    Applicability.SAFE,
    "ENTRYPOINT in shell form: a shell or an unprepared app is PID 1, and CMD and "
    "docker run arguments are ignored",
    about_writing=True,
    intents=(ToExecForm,),
)
def shell_form_entrypoint(spec: RuntimeSpec, prediction: Prediction) -> Iterator[Finding]:
    entrypoint = spec.entrypoint
    if entrypoint is None or entrypoint.form is not CommandForm.SHELL:
        return
    if entrypoint.script is None or not entrypoint.shell or not is_shell(entrypoint.shell[0]):
        return  # no shell initlint knows (a Windows SHELL): nothing precise to say
    script = entrypoint.script.value
    lead = "ENTRYPOINT is in shell form"
    if entrypoint.inherited_from:
        lead += f" (inherited from {entrypoint.inherited_from})"
    shell = entrypoint.shell[0]
    family = shell_family_of(shell, prediction.system_shell)
    problem = json_problem(script)
    if problem is not None:
        words = repaired_json_words(script)
        fix = None
        if words is not None:
            fix = Fix(
                Applicability.UNSAFE,
                f"write it as the exec-form array it was meant to be: {list(words)}",
                ToExecForm(entrypoint, words),
            )
        yield shell_form_entrypoint.finding(
            spec,
            entrypoint.span,
            f"ENTRYPOINT looks like exec form but {problem}, so Docker runs the text as a shell "
            f"command: {shell_label(shell, family)} will be PID 1 and fail to find a program "
            "named like the first element, so the container exits at once",
            fix,
        )
        return
    if family is ShellFamily.NONE:
        message = (
            f"{lead}, but {spec.base_image or 'the image'} has no shell: the container will not "
            f"start, because {shell} does not exist"
        )
    else:
        pid1 = prediction.startup
        if pid1 is None or not shell_form_matters(pid1, spec):
            return  # the shell execs the program (or which it does is unknown): as exec form
        message = f"{lead}: {pid1_sentence(pid1, spec)}"
    yield shell_form_entrypoint.finding(spec, entrypoint.span, message, _fix(spec, script))


def _fix(spec: RuntimeSpec, script: str) -> Fix | None:
    entrypoint = spec.entrypoint
    assert entrypoint is not None
    words = exec_form_words(script)
    if words is None:
        return None
    description = f"write ENTRYPOINT in exec form: {list(words)}"
    if spec.cmd is not None:
        return Fix(
            Applicability.UNSAFE,
            description + " (the CMD, ignored until now, will then be appended as arguments)",
            ToExecForm(entrypoint, words),
        )
    return Fix(Applicability.SAFE, description, ToExecForm(entrypoint, words))
