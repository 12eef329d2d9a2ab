"""The default format: ``path:line:col: IL102 [error] [*] message`` and a summary line.

``[*]`` marks a finding ``--fix`` fixes (with ``--unsafe-fixes``: also the unsafe ones), as
ruff marks them; the closing line counts them.
"""

from __future__ import annotations

from initlint.model import Applicability, Finding, Severity
from initlint.results import RunReport

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


def applicability(finding: Finding) -> Applicability:
    """What ``--fix`` can do for the finding (NONE when its fix has nothing to apply)."""
    if finding.fix is None or finding.fix.intent is None:
        return Applicability.NONE
    return finding.fix.applicability


def fixable(finding: Finding, unsafe_fixes: bool = False) -> bool:
    found = applicability(finding)
    return found is Applicability.SAFE or (unsafe_fixes and found is Applicability.UNSAFE)


def format_finding(finding: Finding, color: bool = False, unsafe_fixes: bool = False) -> str:
    span = finding.span
    where = f"{span.path}:{span.line}:{span.column}:"
    label = f"{finding.rule_id} [{finding.severity.label}]"
    if color:
        where = f"{_BOLD}{where}{_RESET}"
        label = f"{_SEVERITY_COLOR[finding.severity]}{label}{_RESET}"
    marker = " [*]" if fixable(finding, unsafe_fixes) else ""
    return f"{where} {label}{marker} {finding.message}"


def fixable_line(findings: list[Finding], unsafe_fixes: bool = False) -> str | None:
    """``3 fixable with --fix (1 more with --unsafe-fixes).``, or None when nothing is."""
    safe = sum(1 for f in findings if applicability(f) is Applicability.SAFE)
    unsafe = sum(1 for f in findings if applicability(f) is Applicability.UNSAFE)
    if unsafe_fixes:
        total = safe + unsafe
        return f"[*] {total} fixable with --fix --unsafe-fixes." if total else None
    if not safe and not unsafe:
        return None
    more = f" ({unsafe} more with --unsafe-fixes)" if unsafe else ""
    if not safe:
        return f"No finding fixable with --fix{more}."
    return f"[*] {safe} fixable with --fix{more}."


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


def render(report: RunReport, color: bool = False, unsafe_fixes: bool = False) -> str:
    if not report.files and report.empty_folders and not report.errors:
        return ""  # the one line saying there was nothing to lint is on stderr
    lines = [format_finding(finding, color, unsafe_fixes) for finding in report.findings]
    closing = [summary(report)]
    fixable_count = fixable_line(report.findings, unsafe_fixes)
    if fixable_count:
        closing.append(fixable_count)
    lines.extend(f"{_DIM}{line}{_RESET}" if color else line for line in closing)
    return "\n".join(lines) + "\n"
