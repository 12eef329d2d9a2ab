"""An instruction's text with its continuation lines joined, mapped back to file positions."""

from __future__ import annotations

import bisect
from typing import NamedTuple

from initlint.model import Position, Span


class LogicalLine(NamedTuple):
    """An instruction's text with continuations joined, and where each character came from.

    Each physical line that contributed text is a piece: ``piece_starts`` holds the offset
    in ``text`` where it starts, ``piece_positions`` the file position of its first
    character; ``end`` is the position just after the instruction's last line.
    """

    path: str
    text: str
    piece_starts: tuple[int, ...]
    piece_positions: tuple[Position, ...]
    end: Position

    def position(self, offset: int) -> Position:
        """Where the character at ``offset`` of ``text`` stands (``len(text)``: the end)."""
        if offset >= len(self.text) or not self.piece_starts:
            return self.end
        index = max(bisect.bisect_right(self.piece_starts, offset) - 1, 0)
        where = self.piece_positions[index]
        return Position(where.line, where.column + offset - self.piece_starts[index])

    @property
    def positions(self) -> tuple[Position, ...]:
        """Every character's position, then the end position (for tests and debugging)."""
        return (*(self.position(i) for i in range(len(self.text))), self.end)

    def span(self, start: int, end: int) -> Span:
        first = self.position(start)
        if end <= start:
            return Span(self.path, first.line, first.column, first.line, first.column)
        last = self.position(end - 1)
        return Span(self.path, first.line, first.column, last.line, last.column + 1)
