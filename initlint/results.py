"""What a run produced: one FileReport per input, and the RunReport of them all.

The pipeline fills these; the reports (text, JSON, SARIF, ...) only read them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from initlint.checks.base import Rule
from initlint.errors import InputError
from initlint.model import Edit, Finding, Prediction, Severity

if TYPE_CHECKING:  # the fix machinery is imported only with --fix / --diff
    from initlint.fixes.plan import FixOutcome


class FileReport:
    """The outcome for one input: its findings, or the error that stopped it (the pipeline
    fills it in as it goes)."""

    __slots__ = (
        "error", "failure_threshold", "findings", "fix", "fix_edits", "path", "probe",
        "runtimes", "skipped", "snippets", "warnings",
    )  # fmt: skip

    def __init__(self, path: str) -> None:
        self.path = path
        self.findings: list[Finding] = []
        # per finding: the source text of the instruction it starts on (for stable fingerprints)
        self.snippets: list[str] = []
        self.failure_threshold: Severity | None = Severity.INFO
        self.error: InputError | None = None
        # concrete edits for a finding's fix, by the finding's index (SARIF ``fixes``)
        self.fix_edits: dict[int, tuple[Edit, ...]] = {}
        self.fix: FixOutcome | None = None  # with --fix / --diff: what was (or would be) changed
        # a discovered file that is not for initlint (a note, not an error)
        self.skipped: str | None = None
        self.probe: dict[str, object] | None = None  # with --probe: the measured numbers
        self.warnings: list[str] = []  # inline-ignore comments that do nothing
        self.runtimes: list[Prediction] = []  # what PID 1 will be and do

    @property
    def failing(self) -> list[Finding]:
        threshold = self.failure_threshold
        if threshold is None:
            return []
        return [f for f in self.findings if f.severity >= threshold]


class Linted(NamedTuple):
    """What linting one input's text produced."""

    findings: list[Finding]
    snippets: list[str]
    failures: list[InputError]
    runtimes: list[Prediction]  # one prediction per runtime the input defines


class RunReport:
    __slots__ = ("empty_folders", "errors", "files", "rules")

    def __init__(
        self,
        files: list[FileReport],
        errors: list[InputError],
        rules: tuple[Rule, ...],
        empty_folders: list[str] | None = None,
    ) -> None:
        self.files = files
        self.errors = errors  # in the order they happened, input and configuration alike
        self.rules = rules
        # named folders with nothing to lint
        self.empty_folders: list[str] = [] if empty_folders is None else empty_folders

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


class YamlLinted(NamedTuple):
    """What linting one YAML input's text produced: as :class:`Linted`, with notes."""

    findings: list[Finding]
    snippets: list[str]
    failures: list[InputError]
    runtimes: list[Prediction]
    notes: list[str]
