"""Dispatch for the fix intents of the evidence rules (IL201-IL302) that DockerfileFixer.plan
does not handle itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from initlint.fixes.plan import FixPlan, NoFix
from initlint.model import (
    AddSigtermHandler,
    FixIntent,
    InsertInitSeparator,
    RemoveArgvWords,
    ScriptAppendWait,
    ScriptInsertExec,
)

if TYPE_CHECKING:
    from initlint.fixes.dockerfile import DockerfileFixer


def plan_evidence_fix(fixer: DockerfileFixer, intent: FixIntent | None) -> FixPlan | NoFix | None:
    """The plan for an evidence intent; None when ``intent`` is not one of them."""
    if isinstance(intent, ScriptInsertExec):
        from initlint.fixes.script import plan_insert_exec

        return plan_insert_exec(intent)
    if isinstance(intent, ScriptAppendWait):
        from initlint.fixes.script import plan_add_wait

        return plan_add_wait(intent)
    if isinstance(intent, AddSigtermHandler):
        from initlint.fixes.python_codemod import plan_sigterm_handler

        return plan_sigterm_handler(intent)
    if isinstance(intent, InsertInitSeparator):
        from initlint.fixes.init_argv import plan_init_separator

        return plan_init_separator(fixer, intent)
    if isinstance(intent, RemoveArgvWords):
        from initlint.fixes.init_argv import plan_remove_words

        return plan_remove_words(fixer, intent)
    return None
