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
import stat
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
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


class WriteRefused(Exception):
    """A fix that would break what it does not mean to change: nothing is written."""


def write_target(path: str) -> str:
    """Where the content goes: a symlink stays a link and the file it points to is fixed."""
    return os.path.realpath(path) if os.path.islink(path) else path


def refusal(path: str) -> str | None:
    """Why writing ``path`` (atomically: a new inode renamed over it) would change more
    than its content, or None."""
    from initlint.reading import file_type

    if os.path.islink(path) and not os.path.exists(path):
        return f"{path} is a symlink to a missing file"
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"{path}: {error.strerror or error}"
    if not stat.S_ISREG(info.st_mode):
        return f"{path} is {file_type(info.st_mode)}, not a regular file"
    if os.geteuid() != 0 and (
        info.st_uid != os.geteuid()
        or (info.st_gid != os.getegid() and info.st_gid not in os.getgroups())
    ):
        return (
            f"{path} is owned by {info.st_uid}:{info.st_gid}: a new file could not keep that "
            "owner (run as its owner, or use --diff)"
        )
    if info.st_nlink > 1:
        return (
            f"{path} has {info.st_nlink} hard links: replacing it would split them "
            "(use --diff and apply the change by hand)"
        )
    return None


def write_atomically(path: str, content: str, mode: int | None = None) -> None:
    """Replace ``path`` by a temp file in the same folder: never half a file.

    Mode, owner and group are kept (WriteRefused when the owner cannot be kept); a symlink
    stays a link and its target gets the content; bytes that were not UTF-8 (surrogate
    escapes) are written back as they were.
    """
    target = write_target(path)
    folder = os.path.dirname(target) or "."
    try:
        existing: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        existing = None
    if mode is None:
        mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o644
    data = content.encode("utf-8", "surrogateescape")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", dir=folder)
    except OSError as error:
        raise InputError(
            path, f"cannot write the fix: no temp file in {folder}: {error.strerror or error}"
        ) from None
    try:
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                if existing is not None:
                    _keep_owner(handle.fileno(), existing, path)
                os.fchmod(handle.fileno(), mode)
                os.fsync(handle.fileno())
            os.replace(temp, target)
        except OSError as error:
            raise InputError(path, f"cannot write the fix: {error.strerror or error}") from None
    except BaseException:
        if os.path.lexists(temp):
            os.unlink(temp)
        raise


def _keep_owner(fd: int, existing: os.stat_result, path: str) -> None:
    if (existing.st_uid, existing.st_gid) == (os.geteuid(), os.getegid()):
        return
    try:
        os.fchown(fd, existing.st_uid, existing.st_gid)
    except PermissionError:
        raise WriteRefused(
            f"{path} is owned by {existing.st_uid}:{existing.st_gid} and a new file cannot "
            "keep that owner (run as its owner, or use --diff)"
        ) from None


def write_outcome(outcome: FixOutcome) -> None:
    """Write the fixed file and the files the fixes create: all of them or none.

    WriteRefused (nothing written) when one of them is not a plain file this process can
    replace without changing more than its content (hard links, special files).
    """
    targets = [write.path for write in outcome.writes]
    if outcome.fixed != outcome.original:
        targets.append(outcome.path)
    for target in targets:
        reason = refusal(target)
        if reason is not None:
            raise WriteRefused(reason)
    # the files the Dockerfile will COPY first: a failure leaves the Dockerfile as it was
    for write in outcome.writes:
        write_file(write)
    if outcome.fixed != outcome.original:
        write_atomically(outcome.path, outcome.fixed)


def write_file(write: FileWrite) -> None:
    write_atomically(write.path, write.content, None if os.path.exists(write.path) else write.mode)
