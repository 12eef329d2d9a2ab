"""What every Dockerfile fix handler works with: the model and text of the file being fixed,
and small edits (a line before or after an instruction). :mod:`initlint.fixes.dockerfile`
dispatches the intents; the helper modules (init injection, init argv) build on this."""

from __future__ import annotations

import json
from collections.abc import Sequence

from initlint.fixes.text import SourceText
from initlint.model import Command, Edit, Span
from initlint.sources.dockerfile import DockerfileModel, Stage
from initlint.sources.dockerfile_syntax import Instruction


def exec_form_json(words: Sequence[str]) -> str:
    """Exec form as Docker reads it: a JSON array of strings, non-ASCII kept as written."""
    return "[" + ", ".join(json.dumps(word, ensure_ascii=False) for word in words) + "]"


class DockerfileEdits:
    """A Dockerfile being fixed: its model and text, and the edits every handler needs."""

    def __init__(
        self, model: DockerfileModel, source: SourceText, target: str | None, strategy: str
    ) -> None:
        self.model = model
        self.source = source
        self.stage = model.stage(target)
        self.strategy = strategy

    # --- helpers shared with init injection -------------------------------------------

    def instruction_at(self, span: Span) -> Instruction | None:
        for instruction in self.model.syntax.instructions:
            if instruction.span.start == span.start:
                return instruction
        return None

    def insert_line_before(self, instruction: Instruction, text: str) -> Edit:
        """A new line above ``instruction`` and above the comment lines that belong to it."""
        line = instruction.span.line
        while line > 1 and self.source.line_text(line - 1).lstrip().startswith("#"):
            line -= 1
        indent = self.source.line_text(instruction.span.line)[: instruction.span.column - 1]
        at = Span(self.model.syntax.path, line, 1, line, 1)
        return Edit(at, indent + text + self.source.newline)

    def insert_line_after(self, instruction: Instruction, text: str) -> Edit:
        line = instruction.span.end_line
        end_column = len(self.source.line_text(line)) + 1
        at = Span(self.model.syntax.path, line, end_column, line, end_column)
        return Edit(at, self.source.newline + text)

    def last_instruction(self, stage: Stage) -> Instruction:
        return stage.instructions[-1] if stage.instructions else stage.from_instruction

    def owns(self, command: Command | None) -> bool:
        """The command is written in the target stage of this file (not inherited)."""
        return command is not None and command.inherited_from is None
