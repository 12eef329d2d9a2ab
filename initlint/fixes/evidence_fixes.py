"""The handlers of the evidence rules' fix intents (IL201-IL302) for the Dockerfile fixer's
dispatch table: scripts, Python entry files and init argvs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from initlint.fixes.plan import FixPlan, NoFix
from initlint.model import (
    AddSigtermHandler,
    Finding,
    InsertInitSeparator,
    RemoveArgvWords,
    ScriptAppendWait,
    ScriptInsertExec,
)

if TYPE_CHECKING:
    from initlint.fixes.dispatch import HandlerTable
    from initlint.fixes.dockerfile_edits import DockerfileEdits


def _insert_exec(_fixer: DockerfileEdits, intent: Any, _finding: Finding) -> FixPlan | NoFix:
    from initlint.fixes.script import plan_insert_exec

    return plan_insert_exec(intent)


def _add_wait(_fixer: DockerfileEdits, intent: Any, _finding: Finding) -> FixPlan | NoFix:
    from initlint.fixes.script import plan_add_wait

    return plan_add_wait(intent)


def _sigterm_handler(_fixer: DockerfileEdits, intent: Any, _finding: Finding) -> FixPlan | NoFix:
    from initlint.fixes.python_codemod import plan_sigterm_handler  # libcst, only when needed

    return plan_sigterm_handler(intent)


def _init_separator(fixer: DockerfileEdits, intent: Any, _finding: Finding) -> FixPlan | NoFix:
    from initlint.fixes.init_argv import plan_init_separator

    return plan_init_separator(fixer, intent)


def _remove_words(fixer: DockerfileEdits, intent: Any, _finding: Finding) -> FixPlan | NoFix:
    from initlint.fixes.init_argv import plan_remove_words

    return plan_remove_words(fixer, intent)


EVIDENCE_HANDLERS: HandlerTable[DockerfileEdits] = {
    ScriptInsertExec: _insert_exec,
    ScriptAppendWait: _add_wait,
    AddSigtermHandler: _sigterm_handler,
    InsertInitSeparator: _init_separator,
    RemoveArgvWords: _remove_words,
}
