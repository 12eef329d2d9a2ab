"""SARIF 2.1.0: valid against the official schema, with rule metadata, regions and fixes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from initlint.errors import InputError
from initlint.model import Edit, Span
from initlint.pipeline import run
from initlint.report import render
from initlint.report.sarif import sarif_document
from initlint.results import RunReport
from tests.cli.stub_rules import STUB_RULES
from tests.support import skip_or_fail

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = REPO_ROOT / "tests" / "fixtures" / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    if not SCHEMA_PATH.is_file():
        skip_or_fail(f"SARIF schema not found at {SCHEMA_PATH}")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid(validator: jsonschema.protocols.Validator, document: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_valid_against_the_schema(
    report: RunReport, validator: jsonschema.protocols.Validator
) -> None:
    assert_valid(validator, json.loads(render(report, "sarif")))


def test_rule_metadata(report: RunReport) -> None:
    driver = sarif_document(report)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "initlint"
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert sorted(rules) == ["IL101", "IL102", "IL105", "IL107"]
    il101 = rules["IL101"]
    assert il101["name"] == "shell-form-entrypoint"
    assert il101["shortDescription"]["text"] == "ENTRYPOINT in shell form"
    assert il101["fullDescription"]["text"]
    assert il101["helpUri"].endswith("/rules/IL101.md")
    assert il101["defaultConfiguration"]["level"] == "error"
    assert rules["IL105"]["defaultConfiguration"]["level"] == "note"
    assert rules["IL107"]["defaultConfiguration"]["level"] == "warning"


def test_results_have_rule_index_and_regions(report: RunReport) -> None:
    sarif_run = sarif_document(report)["runs"][0]
    rules = sarif_run["tool"]["driver"]["rules"]
    results = sarif_run["results"]
    assert [r["ruleId"] for r in results] == ["IL101", "IL105", "IL107", "IL102"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    first = results[0]
    assert first["level"] == "error"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "api/Dockerfile"
    assert location["region"] == {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 31}
    assert first["properties"]["fix"] == {
        "applicability": "safe",
        "description": "Rewrite ENTRYPOINT in exec form",
    }
    assert sarif_run["columnKind"] == "unicodeCodePoints"
    assert sarif_run["invocations"][0]["executionSuccessful"] is True


def test_fixes_with_edits(project: Path, validator: jsonschema.protocols.Validator) -> None:
    report = run(["api/Dockerfile"], rules=STUB_RULES)
    edit = Edit(Span("api/Dockerfile", 2, 12, 2, 31), '["python3", "/srv/api.py"]')
    report.files[0].fix_edits[0] = (edit,)
    document = sarif_document(report)
    assert_valid(validator, document)
    (fix,) = document["runs"][0]["results"][0]["fixes"]
    assert fix["description"]["text"] == "Rewrite ENTRYPOINT in exec form"
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "api/Dockerfile"
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 2, "startColumn": 12, "endLine": 2, "endColumn": 31},
            "insertedContent": {"text": '["python3", "/srv/api.py"]'},
        }
    ]


def test_input_errors_become_notifications(
    project: Path, validator: jsonschema.protocols.Validator
) -> None:
    (project / "broken.Dockerfile").write_text("FROM debian:12\nNOPE x\n", encoding="utf-8")
    (project / "odd name <1>.Dockerfile").write_text("FROM debian:12\nCMD a\n", encoding="utf-8")
    report = run(
        ["broken.Dockerfile", "odd name <1>.Dockerfile", str(project / "api")], rules=STUB_RULES
    )
    assert [str(error) for error in report.errors] == [
        "broken.Dockerfile:2: error: unknown instruction: NOPE"
    ]
    document = sarif_document(report)
    assert_valid(validator, document)
    invocation = document["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["locations"][0]["physicalLocation"]["region"] == {"startLine": 2}
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in document["runs"][0]["results"]
    ]
    assert "odd%20name%20%3C1%3E.Dockerfile" in uris
    assert (project / "api" / "Dockerfile").as_uri() in uris
    assert isinstance(report.errors[0], InputError)


def test_real_rules_on_the_examples(validator: jsonschema.protocols.Validator) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "initlint", "--format", "sarif", "examples"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert_valid(validator, document)
    sarif_run = document["runs"][0]
    rule_ids = {rule["id"] for rule in sarif_run["tool"]["driver"]["rules"]}
    assert {"IL101", "IL108"} <= rule_ids
    assert all(result["ruleId"] in rule_ids for result in sarif_run["results"])
    assert len(sarif_run["results"]) >= 7
    with_fixes = {r["ruleId"] for r in sarif_run["results"] if r.get("fixes")}
    assert {"IL103", "IL108"} <= with_fixes  # the fixer's concrete edits, not just a hint
