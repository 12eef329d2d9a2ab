"""``--format gitlab``: a GitLab Code Quality report.

Fingerprints hash the rule, the path and the text of the instruction the finding is on, not
its line, so a finding keeps its identity when lines are added above it; identical
instructions in one file are told apart by their order.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePath
from typing import Any

from initlint.model import Severity
from initlint.results import RunReport

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def fingerprint(rule_id: str, path: str, instruction_text: str, occurrence: int = 0) -> str:
    normalized = " ".join(instruction_text.split())
    parts = [rule_id, PurePath(path).as_posix(), normalized]
    if occurrence:
        parts.append(str(occurrence))
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def render(report: RunReport) -> str:
    names = {rule.id: rule.name for rule in report.rules}
    issues: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for file in report.files:
        for finding, snippet in zip(file.findings, file.snippets):
            path = PurePath(finding.span.path).as_posix()
            key = (finding.rule_id, path, " ".join(snippet.split()))
            occurrence = seen.get(key, 0)
            seen[key] = occurrence + 1
            issues.append(
                {
                    "type": "issue",
                    "check_name": finding.rule_id,
                    "description": f"{finding.rule_id} {names.get(finding.rule_id, '')}: "
                    f"{finding.message}",
                    "categories": ["Bug Risk"],
                    "severity": _SEVERITY[finding.severity],
                    "fingerprint": fingerprint(finding.rule_id, path, snippet, occurrence),
                    "location": {
                        "path": path,
                        "lines": {
                            "begin": finding.span.line,
                            "end": finding.span.end_line,
                        },
                    },
                }
            )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
