"""What a run produced: one FileReport per input, and the RunReport of them all.

The pipeline fills these; the reports (text, JSON, SARIF, ...) only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from initlint.checks.base import Rule
from initlint.errors import InputError
from initlint.model import Edit, Finding, Prediction, Severity

if TYPE_CHECKING:  # the fix machinery is imported only with --fix / --diff
    from initlint.fixes.plan import FixOutcome


@dataclass
class FileReport:
    """The outcome for one input: its findings, or the error that stopped it."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    # per finding: the source text of the instruction it starts on (for stable fingerprints)
    snippets: list[str] = field(default_factory=list)
    failure_threshold: Severity | None = Severity.INFO
    error: InputError | None = None
    # concrete edits for a finding's fix, by the finding's index (SARIF ``fixes``)
    fix_edits: dict[int, tuple[Edit, ...]] = field(default_factory=dict)
    fix: FixOutcome | None = None  # with --fix / --diff: what was (or would be) changed
    skipped: str | None = None  # a discovered file that is not for initlint (a note, not an error)
    probe: dict[str, object] | None = None  # with --probe: the measured numbers
    warnings: list[str] = field(default_factory=list)  # inline-ignore comments that do nothing
    runtimes: list[Prediction] = field(default_factory=list)  # what PID 1 will be and do

    @property
    def failing(self) -> list[Finding]:
        threshold = self.failure_threshold
        if threshold is None:
            return []
        return [f for f in self.findings if f.severity >= threshold]


@dataclass
class Linted:
    """What linting one input's text produced."""

    findings: list[Finding]
    snippets: list[str]
    failures: list[InputError]
    runtimes: list[Prediction]  # one prediction per runtime the input defines


@dataclass
class RunReport:
    files: list[FileReport]
    errors: list[InputError]  # in the order they happened, input and configuration alike
    rules: tuple[Rule, ...]
    empty_folders: list[str] = field(default_factory=list)  # named folders with nothing to lint

    @property
    def findings(self) -> list[Finding]:
        return [finding for report in self.files for finding in report.findings]

    @property
    def notes(self) -> list[str]:
        """Files found in folders and skipped (YAML that is no compose file or manifest)."""
        notes = [f"{r.path}: note: skipped: {r.skipped}" for r in self.files if r.skipped]
        return notes + [warning for r in self.files for warning in r.warnings]

    @property
    def fix_outcomes(self) -> list[FixOutcome]:
        return [report.fix for report in self.files if report.fix is not None]

    @property
    def exit_code(self) -> int:
        if self.errors:
            return 2
        return 1 if any(report.failing for report in self.files) else 0


@dataclass
class YamlLinted(Linted):
    notes: list[str] = field(default_factory=list)
