"""GitLab Code Quality: the report's shape and fingerprints that survive edits above."""

from __future__ import annotations

import json
from pathlib import Path

from initlint.pipeline import run
from initlint.report import render
from initlint.results import RunReport
from tests.cli.stub_rules import STUB_RULES


def test_code_quality_issues(report: RunReport) -> None:
    issues = json.loads(render(report, "gitlab"))
    assert len(issues) == 4
    first = issues[0]
    assert set(first) >= {"description", "check_name", "fingerprint", "severity", "location"}
    assert first["check_name"] == "IL101"
    assert first["description"].startswith("IL101 shell-form-entrypoint: ENTRYPOINT")
    assert first["severity"] == "major"
    assert first["location"] == {"path": "api/Dockerfile", "lines": {"begin": 2, "end": 2}}
    assert [issue["severity"] for issue in issues] == ["major", "info", "minor", "major"]
    assert len({issue["fingerprint"] for issue in issues}) == 4


def fingerprints(path: Path) -> list[str]:
    return [
        issue["fingerprint"]
        for issue in json.loads(render(run([str(path)], rules=STUB_RULES), "gitlab"))
    ]


def test_fingerprints_survive_lines_added_above(tmp_path: Path) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM debian:12\nCMD a\nCMD b\n", encoding="utf-8")
    before = fingerprints(dockerfile)
    dockerfile.write_text(
        "# syntax=docker/dockerfile:1\nFROM debian:12\n\nRUN apt-get update\nCMD a\nCMD b\n",
        encoding="utf-8",
    )
    assert fingerprints(dockerfile) == before
    dockerfile.write_text("FROM debian:12\nCMD a\nCMD b --changed\n", encoding="utf-8")
    after_edit = fingerprints(dockerfile)
    assert after_edit[0] == before[0]  # IL107 on the untouched `CMD a`
    assert after_edit[1] != before[1]  # IL102 on the edited instruction


def test_identical_instructions_get_distinct_fingerprints(tmp_path: Path) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM debian:12\nCMD a\nCMD a\nCMD a\n", encoding="utf-8")
    found = fingerprints(dockerfile)
    assert len(found) == 3 and len(set(found)) == 3
