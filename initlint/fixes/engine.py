"""The fix engine: plan each fixable finding, apply it, re-lint, keep it only if it worked.

Each fix is applied on its own and verified by re-parsing and re-linting the new text: a
fix that breaks parsing, or after which its rule reports as many findings as before, is
rolled back. One fix is taken per round (its edits move the spans of the others), and
rounds go on until nothing more applies, however many fixes that takes, so ``--fix`` twice
equals ``--fix`` once. A fix that would bring the text back to a state it already had (two
fixes undoing each other) is rolled back, so the loop always ends.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from initlint.errors import InputError
from initlint.fixes.plan import FileWrite, FixOutcome, FixPlan, NoFix
from initlint.fixes.text import OverlappingEdits, SourceText, edits_overlap
from initlint.model import Applicability, Edit, Finding


class LintText(Protocol):
    """Lint a source's text. ``overrides`` (path → content) stands in for files on disk that
    fixes would write, so evidence read from them sees the fixed content; it is passed only
    when a fix writes files (a lint that never reads other files may ignore it)."""

    def __call__(self, text: str, overrides: Mapping[str, str] = ..., /) -> list[Finding]: ...


PlanFix = Callable[[str, Finding], "FixPlan | NoFix"]


def _lint(lint: LintText, text: str, writes: Sequence[FileWrite]) -> list[Finding]:
    if not writes:
        return lint(text)
    return lint(text, {write.path: write.content for write in writes})


def allowed(finding: Finding, unsafe: bool) -> bool:
    if finding.fix is None or finding.fix.intent is None:
        return False
    if finding.fix.applicability is Applicability.SAFE:
        return True
    return unsafe and finding.fix.applicability is Applicability.UNSAFE


def describe(finding: Finding) -> str:
    assert finding.fix is not None
    return f"{finding.rule_id} at line {finding.span.line}: {finding.fix.description}"


def fix_text(
    path: str,
    text: str,
    lint: LintText,
    plan: PlanFix,
    unsafe: bool,
    max_rounds: int | None = None,
) -> FixOutcome:
    """Apply every allowed fix to ``text`` (one per round; ``max_rounds`` None: until none
    applies); nothing is written here."""
    outcome = FixOutcome(path, text, text)
    tried: set[tuple[str, str]] = set()
    seen = {_state(text, [])}
    rounds = 0
    while max_rounds is None or rounds < max_rounds:
        rounds += 1
        progressed = False
        findings = _lint(lint, outcome.fixed, outcome.writes)
        taken: list[Edit] = []
        for finding in sorted(findings, key=Finding.sort_key):
            if not allowed(finding, unsafe):
                continue
            planned = plan(outcome.fixed, finding)
            if isinstance(planned, NoFix):
                _note_once(outcome.skipped, f"{finding.rule_id} at line {finding.span.line}: "
                           f"{planned.reason}")  # fmt: skip
                continue
            source = SourceText(outcome.fixed)
            if taken and edits_overlap(taken, planned.edits, source):
                continue  # next round, on the text this round produced
            key = (finding.rule_id, finding.message)
            result = _try(outcome.fixed, finding, planned, lint, outcome.writes)
            writes = [*outcome.writes, *(w for w in planned.writes if w not in outcome.writes)]
            if result is not None and _state(result, writes) in seen:
                result = None  # it undoes an earlier fix
            if result is None:
                if key not in tried:
                    outcome.rolled_back.append(describe(finding))
                tried.add(key)
                continue
            outcome.fixed = result
            outcome.applied.append(describe(finding))
            outcome.writes[:] = writes
            seen.add(_state(result, writes))
            progressed = True
            break  # spans moved: re-lint before the next fix
        if not progressed:
            break
    return outcome


def _state(text: str, writes: Sequence[FileWrite]) -> tuple[str, tuple[tuple[str, str], ...]]:
    return text, tuple((write.path, write.content) for write in writes)


def _note_once(notes: list[str], note: str) -> None:
    if note not in notes:
        notes.append(note)


def _try(
    text: str, finding: Finding, planned: FixPlan, lint: LintText, written: Sequence[FileWrite]
) -> str | None:
    """The text with the fix applied, or None when the fix must be rolled back."""
    try:
        fixed = SourceText(text).apply(planned.edits)
        after = _lint(lint, fixed, [*written, *planned.writes])
    except (OverlappingEdits, InputError):
        return None
    before_count = _count(_lint(lint, text, written), finding)
    return fixed if _count(after, finding) < before_count else None


def _count(findings: list[Finding], finding: Finding) -> int:
    return Counter(f.rule_id for f in findings)[finding.rule_id]


def write_atomically(path: str, content: str, mode: int | None = None) -> None:
    """Replace ``path`` by a temp file in the same folder: never half a file, mode kept."""
    target = Path(path)
    if mode is None:
        mode = target.stat().st_mode & 0o7777 if target.exists() else 0o644
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def write_outcome(outcome: FixOutcome) -> None:
    if outcome.fixed != outcome.original:
        write_atomically(outcome.path, outcome.fixed)
    for write in outcome.writes:
        write_file(write)


def write_file(write: FileWrite) -> None:
    existing_mode = Path(write.path).stat().st_mode & 0o7777 if Path(write.path).exists() else None
    write_atomically(write.path, write.content, existing_mode or write.mode)
