"""Fix intents, findings and edits.

Rules say *what* to change, source-agnostically; the fixer of the source kind turns an
intent into text edits on exact spans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from initlint.model.core import (
    Applicability,
    Command,
    InitInfo,
    Located,
    Severity,
    Span,
    StopSignal,
)


@dataclass(frozen=True)
class ToExecForm:
    """Rewrite a shell-form command as exec form with these words."""

    command: Command
    words: tuple[str, ...]


@dataclass(frozen=True)
class InsertExec:
    """Insert ``exec `` before the final simple command of a ``sh -c`` string."""

    command: Command
    word: Located  # the script string as written
    offset: int  # character offset in ``word.value`` where ``exec `` goes


@dataclass(frozen=True)
class RemoveCommands:
    """Delete overridden instructions."""

    commands: tuple[Command, ...]


@dataclass(frozen=True)
class SetStopSignal:
    signal: str
    existing: StopSignal | None


@dataclass(frozen=True)
class InjectInit:
    """Put an init in front of PID 1 (strategy chosen by the fixer from the base image)."""

    reason: str


@dataclass(frozen=True)
class ScriptInsertExec:
    """Insert ``exec `` at a character offset of an entrypoint script (IL301)."""

    path: str  # the script on disk
    offset: int


@dataclass(frozen=True)
class ScriptAppendWait:
    """Insert a ``wait`` line after the last command of an entrypoint script (IL302)."""

    path: str
    offset: int  # just after the last command
    newline: str = "\n"
    end: int | None = None  # set: ``wait`` replaces the text offset:end (a keep-alive)


@dataclass(frozen=True)
class AddSigtermHandler:
    """Add a SIGTERM handler raising SystemExit at the top of a Python entry file (IL202)."""

    path: str  # the entry file on disk


@dataclass(frozen=True)
class InsertInitSeparator:
    """Insert ``--`` into an exec-form command before the word at ``index`` (IL203)."""

    command: Command
    index: int


@dataclass(frozen=True)
class RemoveArgvWords:
    """Drop the words ``start:end`` of an exec-form command (a stacked init, IL203)."""

    command: Command
    start: int
    end: int


@dataclass(frozen=True)
class RemoveRuntimeInit:
    """Drop the init the runtime adds (compose ``init: true``) when the image has its own."""

    init: InitInfo


@dataclass(frozen=True)
class ReplaceArgv:
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


@dataclass(frozen=True)
class Fix:
    applicability: Applicability
    description: str
    intent: FixIntent | None = None


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: Severity
    message: str
    span: Span
    fix: Fix | None = None
    container: str = ""  # RuntimeSpec.name, for reports that group by container

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.span.path, self.span.line, self.span.column, self.rule_id)


@dataclass(frozen=True)
class Edit:
    """Replace the text in ``span`` (empty span: insert) with ``text``."""

    span: Span
    text: str


@dataclass
class LintResult:
    """What linting one file produced."""

    path: str
    findings: list[Finding] = field(default_factory=list)
