"""Precision on realistic projects: each fixture's EXPECTED lists exactly the findings of the
evidence rules (``RULE [file:line]``; the location is the finding's own, or the first piece of
evidence its message cites)."""

from __future__ import annotations

from pathlib import Path

import pytest

from initlint.model import Finding
from tests.evidence.lint import lint

APPS = Path(__file__).resolve().parents[1] / "fixtures" / "apps"
PROJECTS = sorted(p.name for p in APPS.iterdir() if (p / "Dockerfile").is_file())


def expected(project: Path) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for line in (project / "EXPECTED").read_text().splitlines():
        words = line.split()
        if words:
            found.append((words[0], words[1] if len(words) > 1 else None))
    return found


def matches(finding: Finding, rule_id: str, where: str | None, project: Path) -> bool:
    if finding.rule_id != rule_id:
        return False
    if where is None:
        return True
    relative = Path(finding.span.path).resolve().relative_to(project.resolve())
    return f"{relative}:{finding.span.line}" == where or finding.message.startswith(where + " ")


@pytest.mark.parametrize("name", PROJECTS)
def test_findings_are_exactly_the_expected_ones(name: str) -> None:
    project = APPS / name
    findings = lint(project / "Dockerfile")
    wanted = expected(project)
    unmatched = list(findings)
    for rule_id, where in wanted:
        hit = next((f for f in unmatched if matches(f, rule_id, where, project)), None)
        assert hit is not None, f"{name}: expected {rule_id} {where or ''}; got {findings}"
        unmatched.remove(hit)
    assert not unmatched, f"{name}: unexpected findings {unmatched}"


def test_there_are_realistic_projects_of_every_kind() -> None:
    kinds = ("flask", "fastapi", "django", "celery", "node_express", "puppeteer", "nginx_php")
    for kind in kinds:
        assert any(name.startswith(kind) for name in PROJECTS), kind


@pytest.mark.parametrize("name", PROJECTS)
def test_every_message_names_pid1_and_docker_stop(name: str) -> None:
    for finding in lint(APPS / name / "Dockerfile"):
        if finding.rule_id == "IL203":
            assert "PID 1" in finding.message
            continue
        assert "PID 1" in finding.message and "docker stop" in finding.message, finding.message
