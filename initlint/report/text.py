"""The default format: ``path:line:col: IL102 [error] message`` and a summary line."""

from __future__ import annotations

from initlint.model import Finding, Severity
from initlint.pipeline import RunReport

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_SEVERITY_COLOR = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.INFO: "\x1b[1;36m",
}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def format_finding(finding: Finding, color: bool = False) -> str:
    span = finding.span
    where = f"{span.path}:{span.line}:{span.column}:"
    label = f"{finding.rule_id} [{finding.severity.label}]"
    if color:
        where = f"{_BOLD}{where}{_RESET}"
        label = f"{_SEVERITY_COLOR[finding.severity]}{label}{_RESET}"
    return f"{where} {label} {finding.message}"


def summary(report: RunReport) -> str:
    findings = report.findings
    linted = sum(1 for file in report.files if file.error is None)
    failed = len(report.files) - linted
    if findings:
        by_severity = {
            severity: sum(1 for f in findings if f.severity is severity) for severity in Severity
        }
        counts = ", ".join(
            [
                _plural(by_severity[Severity.ERROR], "error"),
                _plural(by_severity[Severity.WARNING], "warning"),
                f"{by_severity[Severity.INFO]} info",
            ]
        )
        files_with = sum(1 for file in report.files if file.findings)
        text = (
            f"Found {_plural(len(findings), 'finding')} ({counts}) "
            f"in {files_with} of {_plural(linted, 'file')}."
        )
    else:
        text = f"No findings in {_plural(linted, 'file')}."
    if failed:
        text += f" {_plural(failed, 'file')} could not be linted."
    fixed = sum(len(outcome.applied) for outcome in report.fix_outcomes)
    if fixed:
        changed = sum(1 for outcome in report.fix_outcomes if outcome.changed)
        text += f" Fixed {_plural(fixed, 'finding')} in {_plural(changed, 'file')}."
    return text


def render(report: RunReport, color: bool = False) -> str:
    lines = [format_finding(finding, color) for finding in report.findings]
    line = summary(report)
    lines.append(f"{_DIM}{line}{_RESET}" if color else line)
    return "\n".join(lines) + "\n"
