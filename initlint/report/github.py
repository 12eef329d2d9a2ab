"""``--format github``: GitHub Actions workflow commands, one annotation per finding."""

from __future__ import annotations

from initlint.errors import InputError
from initlint.model import Finding, Severity
from initlint.results import RunReport

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message part (after ``::``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A ``key=value`` property value: also ``:`` and ``,``, which delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, rule_name: str) -> str:
    span = finding.span
    title = f"{finding.rule_id} {rule_name}".strip()
    properties = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in (
            ("file", span.path),
            ("line", span.line),
            ("col", span.column),
            ("endLine", span.end_line),
            ("endColumn", span.end_column),
            ("title", title),
        )
    )
    return f"::{_LEVEL[finding.severity]} {properties}::{escape_data(finding.message)}"


def error_annotation(error: InputError) -> str:
    """An input that could not be linted, so the failed check shows where it failed."""
    properties = f"file={escape_property(error.path)}"
    if error.line is not None:
        properties += f",line={error.line}"
    properties += f",title={escape_property('initlint: cannot lint this file')}"
    return f"::error {properties}::{escape_data(error.message)}"


def render(report: RunReport) -> str:
    names = {rule.id: rule.name for rule in report.rules}
    lines = [annotation(finding, names.get(finding.rule_id, "")) for finding in report.findings]
    lines.extend(error_annotation(error) for error in report.errors)
    return "".join(line + "\n" for line in lines)
