"""Fix intents, findings and edits.

Rules say *what* to change, source-agnostically; the fixer of the source kind turns an
intent into text edits on exact spans.
"""

from __future__ import annotations

from typing import NamedTuple, Union

from initlint.model.core import (
    Applicability,
    Command,
    InitInfo,
    Located,
    Severity,
    Span,
    StopSignal,
)


class ToExecForm(NamedTuple):
    """Rewrite a shell-form command as exec form with these words."""

    command: Command
    words: tuple[str, ...]


class InsertExec(NamedTuple):
    """Insert ``exec `` before the final simple command of a ``sh -c`` string."""

    command: Command
    word: Located  # the script string as written
    offset: int  # character offset in ``word.value`` where ``exec `` goes


class RemoveCommands(NamedTuple):
    """Delete overridden instructions."""

    commands: tuple[Command, ...]


class SetStopSignal(NamedTuple):
    signal: str
    existing: StopSignal | None


class InjectInit(NamedTuple):
    """Put an init in front of PID 1 (strategy chosen by the fixer from the base image)."""

    reason: str


class ScriptInsertExec(NamedTuple):
    """Insert ``exec `` at a character offset of an entrypoint script (IL301)."""

    path: str  # the script on disk
    offset: int


class ScriptAppendWait(NamedTuple):
    """Insert a ``wait`` line after the last command of an entrypoint script (IL302)."""

    path: str
    offset: int  # just after the last command
    newline: str = "\n"
    end: int | None = None  # set: ``wait`` replaces the text offset:end (a keep-alive)


class AddSigtermHandler(NamedTuple):
    """Add a SIGTERM handler raising SystemExit at the top of a Python entry file (IL202)."""

    path: str  # the entry file on disk


class InsertInitSeparator(NamedTuple):
    """Insert ``--`` into an exec-form command before the word at ``at`` (IL203)."""

    command: Command
    at: int  # (not ``index``: a NamedTuple has that method)


class RemoveArgvWords(NamedTuple):
    """Drop the words ``start:end`` of an exec-form command (a stacked init, IL203)."""

    command: Command
    start: int
    end: int


class RemoveRuntimeInit(NamedTuple):
    """Drop the init the runtime adds (compose ``init: true``) when the image has its own."""

    init: InitInfo


class ReplaceArgv(NamedTuple):
    """Replace all the words of a command with ``words``, written in exec form (IL104)."""

    command: Command
    words: tuple[str, ...]


FixIntent = Union[
    ToExecForm,
    InsertExec,
    RemoveCommands,
    SetStopSignal,
    InjectInit,
    ScriptInsertExec,
    ScriptAppendWait,
    AddSigtermHandler,
    InsertInitSeparator,
    RemoveArgvWords,
    RemoveRuntimeInit,
    ReplaceArgv,
]


class Fix(NamedTuple):
    applicability: Applicability
    description: str
    intent: FixIntent | None = None


class Finding(NamedTuple):
    rule_id: str
    severity: Severity
    message: str
    span: Span
    fix: Fix | None = None
    container: str = ""  # RuntimeSpec.name, for reports that group by container

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.span.path, self.span.line, self.span.column, self.rule_id)


class Edit(NamedTuple):
    """Replace the text in ``span`` (empty span: insert) with ``text``."""

    span: Span
    text: str
