"""IL203 fixes on an exec-form command: insert ``--`` after the init's options, drop a
stacked init. Only the JSON array of the instruction changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from initlint.fixes.plan import FixPlan, NoFix
from initlint.model import Command, CommandForm, Edit, InsertInitSeparator, RemoveArgvWords

if TYPE_CHECKING:
    from initlint.fixes.dockerfile_edits import DockerfileEdits


def _rewrite(fixer: DockerfileEdits, command: Command, words: tuple[str, ...]) -> FixPlan | NoFix:
    from initlint.fixes.dockerfile_edits import exec_form_json

    if command.form is not CommandForm.EXEC or not fixer.owns(command):
        return NoFix("the command is not an exec-form instruction of this stage")
    instruction = fixer.instruction_at(command.span)
    if instruction is None:
        return NoFix("the instruction was not found")
    return FixPlan((Edit(instruction.args_span(), exec_form_json(words)),))


def plan_init_separator(fixer: DockerfileEdits, intent: InsertInitSeparator) -> FixPlan | NoFix:
    argv = intent.command.argv
    if "--" in argv[: intent.at]:
        return NoFix("-- is already there")
    return _rewrite(fixer, intent.command, (*argv[: intent.at], "--", *argv[intent.at :]))


def plan_remove_words(fixer: DockerfileEdits, intent: RemoveArgvWords) -> FixPlan | NoFix:
    argv = intent.command.argv
    return _rewrite(fixer, intent.command, (*argv[: intent.start], *argv[intent.end :]))
