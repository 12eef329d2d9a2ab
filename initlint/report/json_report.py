"""``--format json``: one object, findings in path/line order, then one ``runtimes`` entry
per runtime (Dockerfile stage, compose service, Kubernetes container, image): what PID 1
will be and do."""

from __future__ import annotations

import json
from typing import Any

from initlint import __version__
from initlint.model import Finding
from initlint.report.runtimes import runtime_object
from initlint.results import RunReport


def finding_object(finding: Finding, rule_names: dict[str, str]) -> dict[str, Any]:
    span = finding.span
    return {
        "rule": finding.rule_id,
        "name": rule_names.get(finding.rule_id, ""),
        "severity": finding.severity.label,
        "path": span.path,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "message": finding.message,
        "fix": None
        if finding.fix is None
        else {
            "applicability": finding.fix.applicability.value,
            "description": finding.fix.description,
        },
    }


def render(report: RunReport) -> str:
    names = {rule.id: rule.name for rule in report.rules}
    document: dict[str, Any] = {
        "version": __version__,
        "findings": [finding_object(finding, names) for finding in report.findings],
        "runtimes": [runtime_object(p) for file in report.files for p in file.runtimes],
    }
    probes = [file.probe for file in report.files if file.probe is not None]
    if probes:
        document["probes"] = probes
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
