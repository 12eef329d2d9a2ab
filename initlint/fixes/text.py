"""A source file's text for editing: line/column spans to offsets, edits applied in one pass."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from initlint.model import Edit


class OverlappingEdits(ValueError):
    pass


class SourceText(NamedTuple):
    text: str

    @property
    def bom(self) -> int:
        return 1 if self.text.startswith("\ufeff") else 0

    @property
    def newline(self) -> str:
        return "\r\n" if "\r\n" in self.text else "\n"

    @property
    def line_starts(self) -> list[int]:
        starts = [self.bom]
        for index, char in enumerate(self.text):
            if char == "\n":
                starts.append(index + 1)
        return starts

    def offset(self, line: int, column: int, starts: Sequence[int] | None = None) -> int:
        """Offset of a 1-based line/column; a line past the end maps to the end of the text."""
        starts = self.line_starts if starts is None else starts
        if line > len(starts):
            return len(self.text)
        return min(starts[line - 1] + column - 1, len(self.text))

    def line_text(self, line: int) -> str:
        """Line ``line`` without its line ending."""
        starts = self.line_starts
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[starts[line - 1] : end].rstrip("\r\n")

    def apply(self, edits: Sequence[Edit]) -> str:
        """Apply non-overlapping edits in one pass (insertions at one point keep their order)."""
        starts = self.line_starts
        placed = sorted(
            (
                (self.offset(e.span.line, e.span.column, starts),
                 self.offset(e.span.end_line, e.span.end_column, starts), order, e.text)
                for order, e in enumerate(edits)
            )
        )  # fmt: skip
        out: list[str] = []
        cursor = 0
        for start, end, _, replacement in placed:
            if start < cursor:
                raise OverlappingEdits(f"edits overlap at offset {start}")
            out.append(self.text[cursor:start])
            out.append(replacement)
            cursor = end
        out.append(self.text[cursor:])
        return "".join(out)


def edits_overlap(first: Sequence[Edit], second: Sequence[Edit], source: SourceText) -> bool:
    starts = source.line_starts

    def ranges(edits: Sequence[Edit]) -> list[tuple[int, int]]:
        return [
            (
                source.offset(e.span.line, e.span.column, starts),
                source.offset(e.span.end_line, e.span.end_column, starts),
            )
            for e in edits
        ]

    for a_start, a_end in ranges(first):
        for b_start, b_end in ranges(second):
            if a_start < b_end and b_start < a_end:
                return True
            if a_start == a_end == b_start == b_end:
                return True  # two insertions at one point: order would be arbitrary
    return False
