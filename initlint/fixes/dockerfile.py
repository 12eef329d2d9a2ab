"""Dockerfile fixer: fix intents to edits on the exact spans the loader recorded."""

from __future__ import annotations

import json
from collections.abc import Sequence

from initlint.fixes.dispatch import HandlerTable, cannot, dispatch
from initlint.fixes.dockerfile_edits import DockerfileEdits, exec_form_json
from initlint.fixes.engine import LintText, fix_text
from initlint.fixes.evidence_fixes import EVIDENCE_HANDLERS
from initlint.fixes.init_injection import plan_init_injection
from initlint.fixes.plan import FixOutcome, FixPlan, NoFix
from initlint.fixes.text import SourceText
from initlint.model import (
    Command,
    CommandForm,
    Edit,
    Finding,
    InjectInit,
    InsertExec,
    RemoveCommands,
    RemoveRuntimeInit,
    ReplaceArgv,
    SetStopSignal,
    Span,
    ToExecForm,
)
from initlint.sources.dockerfile import FactsProvider, build_model
from initlint.sources.dockerfile_syntax import Instruction, parse_dockerfile


class DockerfileFixer(DockerfileEdits):
    def plan(self, finding: Finding) -> FixPlan | NoFix:
        return dispatch(HANDLERS, self, finding, "a Dockerfile")

    # --- intents ----------------------------------------------------------------------

    def _to_exec_form(self, intent: ToExecForm) -> FixPlan | NoFix:
        script = intent.command.script
        if script is None or intent.command.inherited_from is not None:
            return NoFix("the command is not written in this stage")
        kept = self._non_content_lines(script.span)
        text = exec_form_json(intent.words) + "".join(self.source.newline + k for k in kept)
        return FixPlan((Edit(script.span, text),))

    def _replace_argv(self, intent: ReplaceArgv) -> FixPlan | NoFix:
        """The command's whole argument text becomes the exec-form array of the new words."""
        command = intent.command
        if command.form is CommandForm.SHELL:
            return self._to_exec_form(ToExecForm(command, intent.words))
        instruction = self.instruction_at(command.span)
        if not self.owns(command) or instruction is None:
            return NoFix("the command is not written in this stage")
        if instruction.json_ignored is not None:
            return NoFix("text follows the exec-form array")
        span = instruction.args_span()
        kept = self._non_content_lines(span)
        text = exec_form_json(intent.words) + "".join(self.source.newline + k for k in kept)
        return FixPlan((Edit(span, text),))

    def _non_content_lines(self, span: Span) -> list[str]:
        """Comment and blank lines inside a continued instruction: kept after the rewrite."""
        kept: list[str] = []
        for line in range(span.line + 1, span.end_line):
            text = self.source.line_text(line)
            if not text.strip() or text.lstrip().startswith("#"):
                kept.append(text)
        return kept

    def _insert_exec(self, intent: InsertExec) -> FixPlan | NoFix:
        word = intent.word
        value = word.value[: intent.offset] + "exec " + word.value[intent.offset :]
        if intent.command.form is CommandForm.EXEC:
            return FixPlan((Edit(word.span, json.dumps(value, ensure_ascii=False)),))
        if word.span.line != word.span.end_line:
            return NoFix("the shell script spans several lines")
        at = word.span.column + intent.offset
        point = Span(word.span.path, word.span.line, at, word.span.line, at)
        return FixPlan((Edit(point, "exec "),))

    def _remove(self, commands: Sequence[Command]) -> FixPlan | NoFix:
        edits: list[Edit] = []
        for command in commands:
            if command.inherited_from is not None:
                return NoFix("an overridden command is in another stage")
            span = command.span
            whole_lines = Span(span.path, span.line, 1, span.end_line + 1, 1)
            edits.append(Edit(whole_lines, ""))
        return FixPlan(tuple(edits))

    def _stop_signal(self, intent: SetStopSignal) -> FixPlan | NoFix:
        existing = intent.existing
        if existing is not None and existing.inherited_from is None and existing.span:
            return FixPlan((Edit(existing.span, intent.signal),))
        anchor = self._pid1_instruction()
        line = f"STOPSIGNAL {intent.signal}"
        if anchor is not None:
            return FixPlan((self.insert_line_before(anchor, line),))
        return FixPlan((self.insert_line_after(self.last_instruction(self.stage), line),))

    def _pid1_instruction(self) -> Instruction | None:
        """The first ENTRYPOINT/CMD instruction of the target stage: new lines go before it."""
        owned = [c for c in (self.stage.entrypoint, self.stage.cmd) if c and self.owns(c)]
        if not owned:
            return None
        return self.instruction_at(min(owned, key=lambda c: c.span.start).span)


def dockerfile_fixer(
    text: str,
    path: str,
    target: str | None = None,
    strategy: str = "auto",
    facts_provider: FactsProvider | None = None,
) -> DockerfileFixer:
    model = build_model(parse_dockerfile(text, path), facts_provider)
    return DockerfileFixer(model, SourceText(text), target, strategy)


HANDLERS: HandlerTable[DockerfileFixer] = {
    ToExecForm: lambda fixer, intent, _: fixer._to_exec_form(intent),
    InsertExec: lambda fixer, intent, _: fixer._insert_exec(intent),
    RemoveCommands: lambda fixer, intent, _: fixer._remove(intent.commands),
    SetStopSignal: lambda fixer, intent, _: fixer._stop_signal(intent),
    InjectInit: lambda fixer, intent, _: plan_init_injection(fixer, intent),
    ReplaceArgv: lambda fixer, intent, _: fixer._replace_argv(intent),
    RemoveRuntimeInit: cannot("a Dockerfile has no runtime init to remove"),
    **EVIDENCE_HANDLERS,  # IL201-IL302
}


def fix_dockerfile_text(
    text: str,
    path: str,
    lint: LintText,
    *,
    target: str | None = None,
    strategy: str = "auto",
    unsafe: bool = False,
    max_rounds: int | None = None,
    facts_provider: FactsProvider | None = None,
) -> FixOutcome:
    """Apply the allowed fixes to a Dockerfile's text (nothing is written)."""

    def plan(current: str, finding: Finding) -> FixPlan | NoFix:
        return dockerfile_fixer(current, path, target, strategy, facts_provider).plan(finding)

    return fix_text(path, text, lint, plan, unsafe, max_rounds)
