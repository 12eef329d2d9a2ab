"""What a fixer hands the engine: text edits to the linted file, and whole files to write."""

from __future__ import annotations

from dataclasses import dataclass, field

from initlint.model import Edit


@dataclass(frozen=True)
class FileWrite:
    """A file the fix creates or replaces (the vendored init, a .dockerignore)."""

    path: str
    content: str
    mode: int = 0o644


@dataclass(frozen=True)
class FixPlan:
    edits: tuple[Edit, ...]
    writes: tuple[FileWrite, ...] = ()
    note: str = ""  # said in the summary, e.g. which init strategy was used


@dataclass(frozen=True)
class NoFix:
    """Why a finding's fix cannot be applied here."""

    reason: str


@dataclass
class FixOutcome:
    path: str
    original: str
    fixed: str
    applied: list[str] = field(default_factory=list)  # "IL101 at line 3 ..." descriptions
    rolled_back: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    writes: list[FileWrite] = field(default_factory=list)
    # paths of ``writes`` that did not exist before the fix (to be added to version control)
    created: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original or bool(self.writes)
