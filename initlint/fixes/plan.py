"""What a fixer hands the engine: text edits to the linted file, and whole files to write."""

from __future__ import annotations

from typing import NamedTuple

from initlint.model import Edit


class FileWrite(NamedTuple):
    """A file the fix creates or replaces (the vendored init, a .dockerignore)."""

    path: str
    content: str
    mode: int = 0o644


class FixPlan(NamedTuple):
    edits: tuple[Edit, ...]
    writes: tuple[FileWrite, ...] = ()
    note: str = ""  # said in the summary, e.g. which init strategy was used


class NoFix(NamedTuple):
    """Why a finding's fix cannot be applied here."""

    reason: str


class FixOutcome:
    """What fixing one file did (or would do): filled in round by round by the fix engine."""

    __slots__ = (
        "applied", "created", "fixed", "original", "path", "rolled_back", "skipped", "writes",
    )  # fmt: skip

    def __init__(self, path: str, original: str, fixed: str) -> None:
        self.path = path
        self.original = original
        self.fixed = fixed
        self.applied: list[str] = []  # "IL101 at line 3 ..." descriptions
        self.rolled_back: list[str] = []
        self.skipped: list[str] = []
        self.writes: list[FileWrite] = []
        # paths of ``writes`` that did not exist before the fix (to be added to version control)
        self.created: list[str] = []

    @property
    def changed(self) -> bool:
        return self.fixed != self.original or bool(self.writes)
