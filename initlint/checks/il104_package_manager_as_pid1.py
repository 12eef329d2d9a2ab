"""IL104: a package manager (npm, yarn, poetry, uv ...) runs the app as the container command."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from initlint.checks.analysis import LaunchKind, resolve_pid1
from initlint.checks.base import rule
from initlint.checks.common import program_source
from initlint.checks.describe import pid1_sentence
from initlint.knowledge.programs import Program, Role, lookup, program_name
from initlint.model import Applicability, Finding, RuntimeSpec, Severity


@rule(
    "IL104",
    "package-manager-as-pid1",
    Severity.WARNING,
    Applicability.UNSAFE,
    "a package manager (npm start, yarn, poetry run, uv run ...) runs the app: signals are not "
    "forwarded reliably and there is one more process",
)
def package_manager_as_pid1(spec: RuntimeSpec) -> Iterator[Finding]:
    pid1 = resolve_pid1(spec)
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
    message = f"{name} {subcommand} runs the app as its child process: {pid1_sentence(pid1, spec)}"
    # The unsafe fix (the script's own command from package.json / pyproject.toml) needs the
    # build context, which this pure check does not read; it comes with the evidence layer.
    yield package_manager_as_pid1.finding(spec, span, message)


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
