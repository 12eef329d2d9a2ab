"""IL104: a package manager (npm, yarn, poetry, uv ...) runs the app as the container command."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from initlint.checks.base import rule
from initlint.checks.common import exec_form_words, program_source
from initlint.knowledge.programs import Program, Role, lookup, program_name
from initlint.model import (
    Applicability,
    Command,
    CommandForm,
    Finding,
    Fix,
    LaunchKind,
    PackageScript,
    Prediction,
    ReplaceArgv,
    RuntimeSpec,
    Severity,
    Startup,
)
from initlint.pid1.describe import command_key, pid1_sentence, quote

# What a script may start for the fix to run it directly: programs found the same way with or
# without the runner. A bare name could be a node_modules/.bin tool the runner puts on PATH.
_DIRECT_PROGRAMS = frozenset({"node", "nodejs", "python", "python3"})


@rule(
    "IL104",
    "package-manager-as-pid1",
    Severity.WARNING,
    Applicability.UNSAFE,
    "a package manager (npm start, yarn, poetry run, uv run ...) runs the app: signals are not "
    "forwarded reliably and there is one more process",
    about_writing=True,
    intents=(ReplaceArgv,),
)
def package_manager_as_pid1(spec: RuntimeSpec, prediction: Prediction) -> Iterator[Finding]:
    pid1 = prediction.startup
    if pid1 is None or pid1.launch.kind is LaunchKind.NO_SHELL:
        return
    words = pid1.launch.program
    runner = lookup(words[0]) if words else None
    if runner is None or runner.role is not Role.PACKAGE_RUNNER:
        return
    subcommand = script_subcommand(runner, words[1:])
    if subcommand is None:
        return
    source = program_source(spec, pid1)
    if source is None:
        return
    _, span = source
    name = program_name(words[0])
    script = _script_of(spec, pid1)
    text = script.text if script is not None and script.kind == "script" else None
    what = (
        f"{quote(text)} from {script.manifest}" if script and text and text.strip() else "the app"
    )
    message = f"{name} {subcommand} runs {what} as its child process: {pid1_sentence(pid1, spec)}"
    yield package_manager_as_pid1.finding(spec, span, message, _fix(spec, pid1, script))


def _script_of(spec: RuntimeSpec, pid1: Startup) -> PackageScript | None:
    """The evidence about the script this runner runs (None without a build context)."""
    script = spec.evidence.package_script if spec.evidence is not None else None
    if script is None or script.invocation != pid1.launch.program:
        return None
    return script


def direct_words(script: PackageScript) -> tuple[str, ...] | None:
    """The argv that runs what ``script`` runs without the runner, when it is certain: a
    script of plain words (no shell needed), no pre/post scripts to lose, and a program that
    is found without the runner's PATH (node, python, or a path)."""
    if script.kind in ("script", "default"):
        if script.hooks or script.text is None:
            return None
        words = exec_form_words(script.text)
        if words is None:
            return None
        words = (*words, *script.args)
    elif script.kind == "program":
        words = (script.name, *script.args)
    else:
        return None  # an entry point, a Pipfile script, or a script initlint could not read
    head = words[0]
    if "/" in head or program_name(head) in _DIRECT_PROGRAMS:
        return words
    return None


def runner_command(spec: RuntimeSpec, program: tuple[str, ...]) -> tuple[Command, int] | None:
    """The command whose last words are the runner's words, and how many words come before
    them in it (an init, a launcher); None when the runner's words are not all of the end of
    one command written in this file (split between ENTRYPOINT and CMD, inside sh -c ...)."""
    parts = [spec.entrypoint] if spec.entrypoint is not None else []
    if spec.cmd is not None and not (
        spec.entrypoint is not None and spec.entrypoint.form is CommandForm.SHELL
    ):
        parts.append(spec.cmd)
    parts = [command for command in parts if command.argv]
    if not parts or parts[-1].inherited_from is not None:
        return None
    last = parts[-1]
    if last.form is CommandForm.SHELL:
        if last.script is None or exec_form_words(last.script.value) != program:
            return None
        return last, 0
    size = len(program)
    if last.argv[len(last.argv) - size :] != program:
        return None
    return last, len(last.argv) - size


def _fix(spec: RuntimeSpec, pid1: Startup, script: PackageScript | None) -> Fix | None:
    if script is None:
        return None
    words = direct_words(script)
    target = runner_command(spec, pid1.launch.program)
    if words is None or target is None:
        return None
    command, kept = target
    new_argv = (*command.argv[:kept], *words)
    written = f"{command_key(spec, command)} {json.dumps(list(new_argv), ensure_ascii=False)}"
    return Fix(Applicability.UNSAFE, _description(script, written), ReplaceArgv(command, new_argv))


def _description(script: PackageScript, written: str) -> str:
    if script.kind == "program":
        found = "" if "/" in script.name else f"uses the {script.name} found on PATH and "
        synced = (
            ", and nothing is synced when the container starts" if script.runner == "uv" else ""
        )
        return (
            f"run {script.name} as PID 1 itself: {written}; unlike {script.runner} run, it "
            f"{found}runs outside rather than inside the project's virtual environment{synced}"
        )
    where = f"{script.runner}'s default, as {script.manifest} has no start script"
    if script.kind == "script":
        line = f" line {script.line}" if script.line is not None else ""
        where = f"the {script.name!r} script, {script.manifest}{line}"
    return (
        f"run what the script runs as PID 1 itself: {written} ({where}); unlike "
        f"{script.runner}, it does not put node_modules/.bin on PATH or set the npm_* "
        "environment variables"
    )


def script_subcommand(runner: Program, arguments: Sequence[str]) -> str | None:
    """The sub-command that makes ``runner`` run a project script, if ``arguments`` has one.

    Leading options are skipped; an option without ``=`` may take the next word as its value,
    so one word after it is also tried.
    """
    allowed = runner.script_subcommands
    candidates: list[str] = []
    after_option = False
    for word in arguments:
        if word.startswith("-"):
            after_option = "=" not in word
            continue
        candidates.append(word)
        if not after_option or len(candidates) == 2:
            break
        after_option = False
    for word in candidates:
        if word in allowed:
            return word
        if "*" in allowed and word not in runner.not_script_subcommands:
            return word
    return None
