"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Columns are counted in Unicode code points (``columnKind``), as initlint counts them. A
finding carries a SARIF ``fix`` only when concrete edits are known for it; the fix's
applicability and description are always in the result's ``properties``. The run's
``properties.runtimes`` holds the predictions, as ``--format json`` does.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from initlint import __version__
from initlint.checks.base import Rule
from initlint.errors import InputError
from initlint.model import Edit, Finding, Severity, Span
from initlint.report.gitlab import fingerprint
from initlint.report.rule_docs import full_description, rule_page
from initlint.report.runtimes import runtime_object
from initlint.results import RunReport

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/initlint/initlint"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(path: str) -> str:
    if PurePath(path).is_absolute():
        return Path(path).as_uri()
    return quote(PurePath(path).as_posix(), safe="/")


def region(span: Span) -> dict[str, int]:
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    help_text: dict[str, str] = {"text": f"{rule.summary} See {rule.help_uri}"}
    page = rule_page(rule.id)
    if page is not None:
        help_text["markdown"] = page
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": full_description(rule)},
        "helpUri": rule.help_uri,
        "help": help_text,
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": ["pid1", "containers"], "fix": rule.fix.value},
    }


def _fix_object(finding: Finding, edits: tuple[Edit, ...]) -> dict[str, Any]:
    by_path: dict[str, list[dict[str, Any]]] = {}
    for edit in edits:
        by_path.setdefault(edit.span.path, []).append(
            {"deletedRegion": region(edit.span), "insertedContent": {"text": edit.text}}
        )
    description = finding.fix.description if finding.fix else "Fix"
    return {
        "description": {"text": description},
        "artifactChanges": [
            {"artifactLocation": {"uri": artifact_uri(path)}, "replacements": replacements}
            for path, replacements in by_path.items()
        ],
    }


def result_object(
    finding: Finding,
    rule_index: dict[str, int],
    snippet: str,
    occurrence: int,
    edits: tuple[Edit, ...] = (),
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "level": _LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(finding.span.path)},
                    "region": region(finding.span),
                }
            }
        ],
        "partialFingerprints": {
            "initlint/v1": fingerprint(finding.rule_id, finding.span.path, snippet, occurrence)
        },
    }
    if finding.rule_id in rule_index:
        result["ruleIndex"] = rule_index[finding.rule_id]
    if finding.fix is not None:
        result["properties"] = {
            "fix": {
                "applicability": finding.fix.applicability.value,
                "description": finding.fix.description,
            }
        }
        if edits:
            result["fixes"] = [_fix_object(finding, edits)]
    return result


def _notification(error: InputError) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(error.path)}}
    if error.line is not None:
        location["region"] = {"startLine": error.line}
    return {
        "level": "error",
        "message": {"text": str(error)},
        "locations": [{"physicalLocation": location}],
    }


def sarif_document(report: RunReport) -> dict[str, Any]:
    rules = sorted(report.rules, key=lambda rule: rule.id)
    rule_index = {rule.id: index for index, rule in enumerate(rules)}
    results: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for file in report.files:
        for index, (finding, snippet) in enumerate(zip(file.findings, file.snippets)):
            key = (finding.rule_id, finding.span.path, " ".join(snippet.split()))
            occurrence = seen.get(key, 0)
            seen[key] = occurrence + 1
            edits = file.fix_edits.get(index, ())
            results.append(result_object(finding, rule_index, snippet, occurrence, edits))
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "initlint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [rule_descriptor(rule) for rule in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "invocations": [
                    {
                        "executionSuccessful": not report.errors,
                        "toolExecutionNotifications": [
                            _notification(error) for error in report.errors
                        ],
                    }
                ],
                "results": results,
                "properties": {
                    "runtimes": [runtime_object(p) for file in report.files for p in file.runtimes]
                },
            }
        ],
    }


def render(report: RunReport) -> str:
    return json.dumps(sarif_document(report), indent=2, ensure_ascii=False) + "\n"
