"""IL203: an init is there but does not do its job (unused, stacked, below PID 1, no ``--``)."""

from __future__ import annotations

from collections.abc import Iterator

from initlint.checks.base import rule
from initlint.checks.common import system_init
from initlint.checks.wording import pid1_label, pid1_span
from initlint.knowledge.apis import INIT_OPTION_PARSING, INIT_PACKAGES
from initlint.knowledge.programs import Role, lookup, program_name
from initlint.model import (
    Applicability,
    Command,
    CommandForm,
    Finding,
    Fix,
    InitInfo,
    InsertInitSeparator,
    Located,
    Prediction,
    RemoveArgvWords,
    RemoveRuntimeInit,
    RuntimeSpec,
    Severity,
)
from initlint.pid1.describe import quote, stop_name
from initlint.sources.buildkit_words import ShellWordError, process_words

_PERMUTING_INITS = frozenset(
    name for parsing in INIT_OPTION_PARSING if not parsing.stops_at_program
    for name in parsing.names
)  # fmt: skip
_OPTIONS_WITH_VALUE = frozenset({"-p", "-e", "-l", "-r", "--rewrite"})
_INSTALL_VERBS = frozenset({"install", "add"})


@rule(
    "IL203",
    "init-misconfigured",
    Severity.WARNING,
    Applicability.SAFE,
    "an init is installed but unused, stacked on another init, below PID 1 without -s, or "
    "missing -- before the program",
    intents=(InsertInitSeparator, RemoveArgvWords, RemoveRuntimeInit),
)
def init_misconfigured(spec: RuntimeSpec, prediction: Prediction) -> Iterator[Finding]:
    argv = spec.argv
    head = lookup(argv[0]) if argv else None
    runtime_init = spec.init if spec.init is not None and spec.init.how != "argv" else None
    if head is not None and head.role is Role.INIT:
        if runtime_init is not None and runtime_init.how == "compose-init":
            yield _compose_init_stacked(spec, runtime_init, program_name(argv[0]))
        yield from _stacked_or_separator(spec, argv)
    evidence = spec.evidence
    if evidence is not None and evidence.init_below_pid1:
        init = evidence.init_below_pid1
        message = (
            f"{program_name(init[0])} runs below PID 1 ({pid1_label(evidence)} is PID 1) without "
            "-s or TINI_SUBREAPER, so it reaps no orphans; run it as PID 1 (exec it, or put it "
            "first in ENTRYPOINT) or add -s"
        )
        yield init_misconfigured.finding(spec, pid1_span(spec), message)
    if (head is None or head.role is not Role.INIT) and runtime_init is None:
        yield from _installed_unused(spec)


def _compose_init_stacked(spec: RuntimeSpec, runtime_init: InitInfo, inner: str) -> Finding:
    where = spec.pid1_command.span if spec.pid1_command else spec.span
    origin = "the image" if where.path != spec.path else "the entrypoint"
    message = (
        f"two inits are stacked: compose init: true runs docker-init as PID 1 in front of "
        f"{inner} from {origin}, which only adds a process; one init reaps and forwards "
        f"{stop_name(spec)}'s signal on its own"
    )
    fix = Fix(
        Applicability.SAFE,
        f"remove init: true ({inner} then is PID 1 and does the same job)",
        RemoveRuntimeInit(runtime_init),
    )
    span = runtime_init.span or spec.span
    return init_misconfigured.finding(spec, span, message, fix)


def _program_index(argv: tuple[str, ...]) -> tuple[int | None, bool]:
    """Index of the program after an init's options, and whether ``--`` came before it."""
    i = 1
    while i < len(argv):
        word = argv[i]
        if word == "--":
            return (i + 1 if i + 1 < len(argv) else None), True
        if not word.startswith("-"):
            return i, False
        i += 2 if word in _OPTIONS_WITH_VALUE else 1
    return None, False


def _stacked_or_separator(spec: RuntimeSpec, argv: tuple[str, ...]) -> Iterator[Finding]:
    init_name = program_name(argv[0])
    index, separated = _program_index(argv)
    if index is None:
        return
    inner = lookup(argv[index])
    if inner is not None and inner.role is Role.INIT:
        inner_argv = argv[index:]
        inner_index, _ = _program_index(inner_argv)
        end = index + (inner_index if inner_index is not None else len(inner_argv))
        message = (
            f"two inits are stacked: {init_name} will be PID 1 and runs "
            f"{program_name(argv[index])}, which only adds a process; one init reaps and "
            f"forwards {stop_name(spec)}'s signal on its own"
        )
        fix = _remove_words(spec, index, end)
        yield init_misconfigured.finding(spec, pid1_span(spec), message, fix)
        return
    if separated or init_name not in _PERMUTING_INITS:
        return
    options = [w for w in argv[index + 1 :] if w.startswith("-") and w != "-"]
    if not options:
        return
    program = program_name(argv[index])
    message = (
        f"{init_name} will be PID 1 but reads options anywhere in its argv, so it takes "
        f"{options[0]} (meant for {program}) as its own: without -- before {program} the "
        f"container fails at start or runs {program} without that option"
    )
    fix = _separator_fix(spec, index)
    yield init_misconfigured.finding(spec, pid1_span(spec), message, fix)


def _placed(spec: RuntimeSpec) -> list[tuple[Command, int]]:
    """Each argv word's command and its index in that command (exec form only)."""
    out: list[tuple[Command, int]] = []
    pieces = [spec.entrypoint] if spec.entrypoint else []
    if spec.cmd and not (spec.entrypoint and spec.entrypoint.form is CommandForm.SHELL):
        pieces.append(spec.cmd)
    for command in pieces:
        out.extend((command, i) for i in range(len(command.argv)))
    return out


def _separator_fix(spec: RuntimeSpec, index: int) -> Fix | None:
    placed = _placed(spec)
    if index >= len(placed):
        return None
    command, at = placed[index]
    if at == 0 and command.role == "cmd" and spec.entrypoint is not None:
        # ENTRYPOINT ["tini"] CMD ["prog", ...]: -- goes at the end of the ENTRYPOINT
        command, at = spec.entrypoint, len(spec.entrypoint.argv)
    if command.form is not CommandForm.EXEC or command.inherited_from is not None:
        return None
    return Fix(Applicability.SAFE, "insert -- before the program", InsertInitSeparator(command, at))


def _remove_words(spec: RuntimeSpec, start: int, end: int) -> Fix | None:
    placed = _placed(spec)
    if end > len(placed) or start >= end:
        return None
    command, first = placed[start]
    if any(placed[i][0] is not command for i in range(start, end)):
        return None
    if command.form is not CommandForm.EXEC or command.inherited_from is not None:
        return None
    return Fix(
        Applicability.UNSAFE,
        "remove the inner init",
        RemoveArgvWords(command, first, first + end - start),
    )


def _installed_init(runs: tuple[Located, ...]) -> tuple[str, Located] | None:
    for run in runs:
        try:
            words = process_words(run.value)
        except ShellWordError:
            continue
        if not _INSTALL_VERBS & set(words):
            continue
        for word in words:
            package = word.split("=", 1)[0]
            if package in INIT_PACKAGES:
                return INIT_PACKAGES[package], run
    return None


def _installed_unused(spec: RuntimeSpec) -> Iterator[Finding]:
    evidence = spec.evidence
    if evidence is None or evidence.pid1_kind in ("init", "unknown"):
        return  # a script initlint cannot follow may well exec the init
    installed = _installed_init(spec.run_commands)
    if installed is None or not spec.argv:
        return
    head = evidence.pid1_argv[0] if evidence.pid1_argv else spec.argv[0]
    program = lookup(head)
    if system_init(head, spec) is not None or (program is not None and program.reaps_children):
        return  # PID 1 already reaps (s6-overlay's /init, supervisord, nginx): nothing to add
    name, run = installed
    message = (
        f"{name} is installed (line {run.span.line}) but not used: {pid1_label(evidence)} will be "
        f"PID 1 instead; put {quote(name + ' --')} first in ENTRYPOINT"
    )
    yield init_misconfigured.finding(spec, pid1_span(spec), message)
